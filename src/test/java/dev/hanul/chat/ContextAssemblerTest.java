package dev.hanul.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.api.NativeParameters;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The assembler with words as tokens and a chat-template overhead of 3 per message plus 2 for the reply's start. */
class ContextAssemblerTest {

    private static final ContextAssembler.TokenCounter WORDS = conversation -> 2 + conversation.stream()
            .mapToInt(m -> 3 + words(m.content())).sum();

    /** Writes "[marker] text" per source, then the question: what a template does, in plain Java. */
    private static final ContextAssembler.TurnWriter SOURCES_THEN_QUESTION = (question, sources) ->
            PromptTurn.userOnly(sources.stream()
                    .map(s -> "[" + s.marker() + "] " + s.text())
                    .collect(Collectors.joining("\n", "", sources.isEmpty() ? "" : "\n")) + question);

    private final ContextAssembler assembler = new ContextAssembler(WORDS);

    @Test
    void thePromptAndTheAnswerReserveFitTheWindow() {
        List<Passage> passages = IntStream.rangeClosed(1, 20).mapToObj(i -> passage("doc" + i, 10)).toList();
        var budget = new ContextAssembler.Budget(100, 30, 50);

        var assembled = assembler.assemble(List.of(ChatMessage.system("Be brief.")), List.of(), "What now?", passages,
                SOURCES_THEN_QUESTION, budget);

        assertThat(assembled.promptTokens()).isEqualTo(WORDS.count(assembled.messages()));
        assertThat(assembled.promptTokens() + budget.answerTokens()).isLessThanOrEqualTo(budget.window());
        // 2 + (3 + 2) system + (3 + 2 question + 11 per source): 5 sources take 67 tokens, a 6th would take 78.
        assertThat(assembled.citations()).extracting(Citation::documentId)
                .containsExactly("doc1", "doc2", "doc3", "doc4", "doc5");
        assertThat(assembled.citations()).extracting(Citation::marker).containsExactly(1, 2, 3, 4, 5);
        assertThat(assembled.messages().getLast().content()).startsWith("[1] doc1 ").contains("\n[5] doc5 ")
                .endsWith("What now?");
    }

    @Test
    void aSourceTooLongIsSkippedAndLaterOnesAreNumberedWithoutGaps() {
        List<Passage> passages = List.of(passage("short1", 5), passage("huge", 500), passage("short2", 5));

        var assembled = assembler.assemble(List.of(), List.of(), "Why?", passages, SOURCES_THEN_QUESTION,
                new ContextAssembler.Budget(60, 20, 10));

        assertThat(assembled.citations()).extracting(Citation::documentId, Citation::marker)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("short1", 1),
                        org.assertj.core.groups.Tuple.tuple("short2", 2));
    }

    @Test
    void historyKeepsTheNewestWholeTurnsWithinItsBudget() {
        List<ChatMessage> history = new ArrayList<>();
        for (int turn = 1; turn <= 5; turn++) {
            history.add(ChatMessage.user("question " + turn));      // 3 + 2 tokens
            history.add(ChatMessage.assistant("answer " + turn + " is here")); // 3 + 4 tokens
        }
        // Each turn costs 12 tokens: a budget of 30 holds the two newest turns, not three.
        var assembled = assembler.assemble(List.of(ChatMessage.system("sys")), history, "And then?", List.of(),
                SOURCES_THEN_QUESTION, new ContextAssembler.Budget(1000, 100, 30));

        assertThat(assembled.historyMessages()).isEqualTo(4);
        assertThat(assembled.messages()).extracting(ChatMessage::content).containsExactly("sys", "question 4",
                "answer 4 is here", "question 5", "answer 5 is here", "And then?");
    }

    @Test
    void aTemplatesSystemMessageComesAfterTheCallersAndBeforeTheHistory() {
        ContextAssembler.TurnWriter sourcesInSystem = (question, sources) -> new PromptTurn(
                "context: " + sources.stream().map(Citation::text).collect(Collectors.joining(" ")), question);
        List<ChatMessage> history = List.of(ChatMessage.user("earlier"), ChatMessage.assistant("reply"));

        var assembled = assembler.assemble(List.of(ChatMessage.system("sys")), history, "And now?",
                List.of(passage("doc1", 3)), sourcesInSystem, new ContextAssembler.Budget(1000, 100, 100));

        assertThat(assembled.messages()).extracting(ChatMessage::role)
                .containsExactly("system", "system", "user", "assistant", "user");
        assertThat(assembled.messages().get(1).content()).isEqualTo("context: doc1 lorem lorem");
        assertThat(assembled.citations()).extracting(Citation::documentId).containsExactly("doc1");
    }

    @Test
    void historyGivesWayWhenTheWindowIsFull() {
        List<ChatMessage> history = List.of(ChatMessage.user("one two three four five"),
                ChatMessage.assistant("six seven eight nine ten"));

        var assembled = assembler.assemble(List.of(), history, "q", List.of(), SOURCES_THEN_QUESTION,
                new ContextAssembler.Budget(20, 10, 1000));

        assertThat(assembled.historyMessages()).isZero();
        assertThat(assembled.promptTokens()).isLessThanOrEqualTo(10);
    }

    @Test
    void aQuestionThatLeavesNoRoomForTheAnswerIsRefused() {
        String question = "word ".repeat(100);

        assertThatThrownBy(() -> assembler.assemble(List.of(), List.of(), question, List.of(),
                SOURCES_THEN_QUESTION, new ContextAssembler.Budget(100, 20, 10)))
                .isInstanceOfSatisfying(InferenceFailure.Rejected.class, rejected -> {
                    assertThat(rejected.parameter()).isEqualTo(Parameter.MESSAGES);
                    assertThat(rejected.message(NativeParameters::of)).startsWith("messages:")
                            .contains("105 tokens").contains("100").endsWith("a smaller sampling.maxTokens.");
                });
    }

    /** A passage of {@code length} words, the first being its document id. */
    private static Passage passage(String documentId, int length) {
        String text = documentId + " " + "lorem ".repeat(length - 1).strip();
        return new Passage(documentId, List.of(documentId + "#0"), documentId + ".txt", null, 0, text.length(),
                text, 1);
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }
}
