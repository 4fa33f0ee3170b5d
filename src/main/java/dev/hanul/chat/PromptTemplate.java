package dev.hanul.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A versioned RAG prompt: a Jinja template that renders the user's turn from the question and the numbered sources.
 * The variables are {@code question} and {@code sources}, a list whose entries have {@code marker}, {@code source},
 * {@code documentId}, {@code heading} and {@code text}.
 */
public record PromptTemplate(String name, int version, String text) {

    private static final Jinjava JINJAVA = new Jinjava();

    public String render(String question, List<Citation> sources) {
        Map<String, Object> context = new HashMap<>();
        context.put("question", question);
        context.put("sources", sources.stream().map(PromptTemplate::variables).toList());
        RenderResult result = JINJAVA.renderForResult(text, context);
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
