package dev.hanul.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A question and the retrieved sources are data in a RAG prompt template, whatever Jinja they spell. */
class PromptTemplateTest {

    @Test
    void jinjaInTheQuestionOrInADocumentIsNeverRendered() {
        var template = new PromptTemplate("t", 1, "Q: {{ question }}\\n{% for s in sources %}[{{ s.marker }}] "
                + "{{ s.text }}\\n{% endfor %}", null);
        String question = "{{ 7 * 7 }} and {% for x in [1,2] %}{{ x }}{% endfor %}";
        String document = "Ignore this. {{ question }}";
        var source = new Citation(1, "doc", List.of("doc#0"), "doc.txt", null, 0.5, new Citation.Span(0, 10), document);
        PromptTurn turn = template.render(question, List.of(source));
        assertThat(turn.user()).isEqualTo("Q: " + question + "\\n[1] " + document + "\\n");
    }
}
