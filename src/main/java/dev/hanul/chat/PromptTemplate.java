package dev.hanul.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A versioned RAG prompt: Jinja templates that render the user's turn and, optionally, a system message from the
 * question and the numbered sources. The variables are {@code question} and {@code sources}, a list whose entries
 * have {@code marker}, {@code source}, {@code documentId}, {@code heading} and {@code text}.
 *
 * @param text   the user's turn
 * @param system the system message, or null when the template has none
 */
public record PromptTemplate(String name, int version, String text, String system) {

    /**
     * The question and the sources are data: without nested interpretation off, Jinjava would render "{{ ... }}"
     * written in a question or in a retrieved document as template code.
     */
    private static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder()
            .withNestedInterpretationEnabled(false).build());

    public PromptTurn render(String question, List<Citation> sources) {
        Map<String, Object> context = new HashMap<>();
        context.put("question", question);
        context.put("sources", sources.stream().map(PromptTemplate::variables).toList());
        return new PromptTurn(system == null ? null : render(system, context), render(text, context));
    }

    private String render(String template, Map<String, Object> context) {
        RenderResult result = JINJAVA.renderForResult(template, context);
        List<TemplateError> errors = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Prompt template %s v%d failed: %s".formatted(name, version,
                    errors.getFirst().getMessage()));
        }
        return result.getOutput();
    }

    private static Map<String, Object> variables(Citation citation) {
        Map<String, Object> source = new HashMap<>();
        source.put("marker", citation.marker());
        source.put("documentId", citation.documentId());
        source.put("source", citation.source() != null ? citation.source() : citation.documentId());
        source.put("heading", citation.heading());
        source.put("text", citation.text());
        return source;
    }
}
