package dev.hanul.engine.chat;

import com.hubspot.jinjava.objects.collections.PyList;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's string methods on template strings ({@code content.rstrip()}, {@code content.split('</think>')[-1]},
 * {@code content.startswith('<tool_response>')}, ...), which Hugging Face chat templates call as Jinja2 lets them and
 * Jinjava, which calls Java's methods, does not (Java's {@code split} takes a regex, its {@code strip} no characters).
 * Resolved before Jinjava's own resolver; any other method falls through to it.
 */
final class PythonStringMethods extends ELResolver {

    private static final Set<String> METHODS = Set.of("strip", "lstrip", "rstrip", "split", "startswith",
            "endswith", "upper", "lower", "title", "capitalize", "find", "count", "splitlines", "replace");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name) || !METHODS.contains(name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = switch (name) {
            case "strip" -> rstrip(lstrip(s, chars(args)), chars(args));
            case "lstrip" -> lstrip(s, chars(args));
            case "rstrip" -> rstrip(s, chars(args));
            case "split" -> split(s, args.length > 0 ? (String) args[0] : null,
                    args.length > 1 ? ((Number) args[1]).intValue() : -1);
            case "startswith" -> affix(s, args[0], true);
            case "endswith" -> affix(s, args[0], false);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "find" -> (long) s.indexOf(String.valueOf(args[0]));
            case "count" -> count(s, String.valueOf(args[0]));
            case "splitlines" -> new PyList(new ArrayList<>(s.lines().toList()));
            case "replace" -> s.replace(String.valueOf(args[0]), String.valueOf(args[1]));
            default -> throw new IllegalStateException(name);
        };
        context.setPropertyResolved(true);
        return result;
    }

    /** The characters to strip: Python's default (whitespace) when none or None is given. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
    }

    private static boolean strips(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && strips(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    private static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && strips(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's str.split: on a literal separator, or on runs of whitespace (dropping empty ends) without one. */
    private static PyList split(String s, String separator, int maxSplit) {
        List<Object> parts = new ArrayList<>();
        if (separator == null) {
            String rest = s.strip();
            while (!rest.isEmpty()) {
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(rest);
                    break;
                }
                int at = 0;
                while (at < rest.length() && !Character.isWhitespace(rest.charAt(at))) {
                    at++;
                }
                parts.add(rest.substring(0, at));
                rest = rest.substring(at).stripLeading();
            }
            return new PyList(parts);
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(separator, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return new PyList(parts);
    }

    /** startswith/endswith with one affix or a tuple (list) of them. */
    private static boolean affix(String s, Object affixes, boolean start) {
        if (affixes instanceof Iterable<?> many) {
            for (Object one : many) {
                if (start ? s.startsWith(String.valueOf(one)) : s.endsWith(String.valueOf(one))) {
                    return true;
                }
            }
            return false;
        }
        String one = String.valueOf(affixes);
        return start ? s.startsWith(one) : s.endsWith(one);
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (char c : s.toCharArray()) {
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
