package dev.hanul.engine.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the few Jinja2 constructs of Hugging Face chat templates that Jinjava parses differently, into equivalents
 * it parses as Jinja2 does. {@code namespace(a=x, b=messages|length - 1)}: Jinjava binds a keyword argument's
 * {@code =} tighter than the operators after it (the value would be {@code messages|length}, then minus one of the
 * whole argument), so each keyword argument's value is put in parentheses. {@code xs[::-1]}: Jinjava has no step in
 * slices, so a reversed sequence is written {@code (xs|reverse)}. {@code if not xs|length == 1}: Jinja2's {@code not}
 * binds looser than a comparison, Jinjava's tighter (it would compare {@code not xs} with 1), so the comparison of an
 * {@code if} that is a negated comparison alone is put in parentheses.
 */
final class JinjaCompat {

    private static final Pattern NAMESPACE = Pattern.compile("namespace\\(([^()]*(?:\\([^()]*\\)[^()]*)*)\\)");
    private static final Pattern KEYWORD = Pattern.compile("\\s*([A-Za-z_][A-Za-z_0-9]*)\\s*=(?!=)\\s*(.+?)\\s*",
            Pattern.DOTALL);

    private static final Pattern REVERSED = Pattern.compile("([A-Za-z_][A-Za-z_0-9.]*)\\[::-1\\]");

    private JinjaCompat() {
    }

    private static final Pattern NEGATED_COMPARISON = Pattern.compile(
            "(\\{%-?\\s*(?:el)?if\\s+)not\\s+([^%()]*?(?:==|!=)[^%()]*?)(\\s*-?%\\})");

    static String adapt(String template) {
        String adapted = REVERSED.matcher(namespaces(template)).replaceAll("($1|reverse)");
        Matcher negated = NEGATED_COMPARISON.matcher(adapted);
        StringBuilder out = new StringBuilder();
        while (negated.find()) {
            String comparison = negated.group(2);
            String replacement = comparison.matches(".*\\b(and|or)\\b.*") ? negated.group()
                    : negated.group(1) + "not (" + comparison + ")" + negated.group(3);
            negated.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        negated.appendTail(out);
        return out.toString();
    }

    private static String namespaces(String template) {
        Matcher call = NAMESPACE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (call.find()) {
            List<String> arguments = new ArrayList<>();
            for (String argument : topLevel(call.group(1))) {
                Matcher keyword = KEYWORD.matcher(argument);
                arguments.add(keyword.matches() ? keyword.group(1) + "=(" + keyword.group(2) + ")" : argument);
            }
            call.appendReplacement(out, Matcher.quoteReplacement("namespace(" + String.join(", ", arguments) + ")"));
        }
        call.appendTail(out);
        return out.toString();
    }

    /** The arguments split at commas outside brackets and quotes. */
    private static List<String> topLevel(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(arguments.substring(start));
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }
}
