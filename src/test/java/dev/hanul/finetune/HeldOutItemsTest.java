package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.eval.Evaluations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Held-out examples become evaluation items as training saw them: the conversation up to the last learned assistant
 * turn is the prompt, that turn the reference; and a job's evaluation computes its change per metric.
 */
class HeldOutItemsTest {

    private static ChatExample example(int line, ChatExample.Message... messages) {
        return new ChatExample(line, List.of(messages));
    }

    private static ChatExample.Message message(String role, String content, int weight) {
        return new ChatExample.Message(role, content, weight);
    }

    private static TokenizedExample tokenized(int line) {
        return new TokenizedExample(line, new int[] {1}, new float[] {0});
    }

    @Test
    void theLastLearnedAnswerIsTheReferenceAndWhatPrecedesItThePrompt() {
        ChatExample multiTurn = example(3, message("system", "Answer briefly.", 1), message("user", "Hi", 1),
                message("assistant", "Hello.", 1), message("user", "Capital of France?", 1),
                message("assistant", "Paris.", 1), message("user", "Thanks", 1), message("assistant", "Bye.", 0));
        Evaluations.ChatItem item = HeldOutItems.item(multiTurn).orElseThrow();
        assertThat(item.id()).isEqualTo("line 3");
        assertThat(item.answers()).containsExactly("Paris.");
        assertThat(item.messages()).extracting(Evaluations.Turn::content)
                .containsExactly("Answer briefly.", "Hi", "Hello.", "Capital of France?");
        assertThat(item.messages().getLast().role()).isEqualTo("user");
    }

    @Test
    void anAnswerThatFollowsNoUserTurnIsLeftOutAndTheLimitHolds() {
        ChatExample noQuestion = example(1, message("system", "Say hi.", 1), message("assistant", "Hi.", 1));
        ChatExample plain = example(2, message("user", "Q", 1), message("assistant", "A", 1));
        ChatExample other = example(4, message("user", "Q2", 1), message("assistant", "A2", 1));
        assertThat(HeldOutItems.item(noQuestion)).isEmpty();
        List<ChatExample> source = List.of(noQuestion, plain, other);
        assertThat(HeldOutItems.of(List.of(tokenized(1), tokenized(2), tokenized(4)), source, 10))
                .extracting(Evaluations.ChatItem::id).containsExactly("line 2", "line 4");
        assertThat(HeldOutItems.of(List.of(tokenized(4), tokenized(2)), source, 1))
                .extracting(Evaluations.ChatItem::id).containsExactly("line 4");
    }

    @Test
    void theChangeIsTheAdaptersMeanMinusTheBasesPerMetric() {
        JobEvaluation evaluation = JobEvaluation.requested("validation", 32).withDataset("d", 8)
                .withBase(new JobEvaluation.Side("m@1", "r1", "finished", 0, Map.of("exact_match", 0.25, "f1", 0.5),
                        null));
        assertThat(evaluation.delta()).isNull();
        JobEvaluation after = evaluation.withFineTuned(new JobEvaluation.Side("ft-m", "r2", "finished", 0,
                Map.of("exact_match", 0.75, "f1", 0.625), null));
        assertThat(after.delta()).containsEntry("exact_match", 0.5).containsEntry("f1", 0.125);
        assertThat(after.comparison()).isEqualTo("/api/eval/compare?runs=r1,r2");
        assertThat(after.items()).isEqualTo(8);
        JobEvaluation started = evaluation.withFineTuned(JobEvaluation.Side.started("ft-m", "r2"));
        assertThat(started.delta()).as("no change before the run has scores").isNull();
        assertThat(started.fineTuned().ended()).isFalse();
    }
}
