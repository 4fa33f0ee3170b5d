package dev.hanul.engine.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/**
 * The {@code tojson} filter as Hugging Face's template renderer defines it: Python's
 * {@code json.dumps(value, ensure_ascii=False, indent=indent)}, so {@code ", "} and {@code ": "} between items, or
 * one item per line with {@code indent=n}, and non-ASCII text as it is. Jinjava's own writes compact JSON, and the
 * prompt would then differ from the text the model was trained on.
 */
final class PythonJsonFilter implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return dumps(var, args.length > 0 ? Integer.parseInt(args[0]) : -1);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        if (indent instanceof com.hubspot.jinjava.el.ext.NamedParameter named) {
            indent = named.getValue();
        }
        return dumps(var, indent == null ? -1 : ((Number) indent).intValue());
    }

    /** {@code json.dumps(value, ensure_ascii=False, indent=indent)}; indent below 0 is None. */
    static String dumps(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, indent, 0, out);
        return out.toString();
    }

    private static void write(Object value, int indent, int level, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Double d -> out.append(pythonFloat(d));
            case Number n -> out.append(n);
            case CharSequence s -> string(s.toString(), out);
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    separator(first, indent, level + 1, out);
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(": ");
                    write(entry.getValue(), indent, level + 1, out);
                }
                close(indent, level, out);
                out.append('}');
            }
            case Iterable<?> items -> {
                if (!items.iterator().hasNext()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    separator(first, indent, level + 1, out);
                    first = false;
                    write(item, indent, level + 1, out);
                }
                close(indent, level, out);
                out.append(']');
            }
            case Object[] array -> write(java.util.Arrays.asList(array), indent, level, out);
            default -> string(value.toString(), out);
        }
    }

    private static void separator(boolean first, int indent, int level, StringBuilder out) {
        if (!first) {
            out.append(indent >= 0 ? "," : ", ");
        }
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void close(int indent, int level, StringBuilder out) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static String pythonFloat(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
