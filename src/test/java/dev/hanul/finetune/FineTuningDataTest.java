package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.TestModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Training files line by line (every problem with its line number), the loss on exactly the assistant turns through
 * a real model's template and tokenizer, and a batch plan that depends only on the step, so a resumed job sees the
 * batches an uninterrupted one would.
 */
class FineTuningDataTest {

    static final String GOOD = """
            {"messages": [{"role": "user", "content": "Who was Tim?"}, {"role": "assistant", "content": "A dog."}]}""";

    @Test
    void everyBadLineIsReportedWithItsNumberAndReason() {
        String file = String.join("\n",
                GOOD,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}",
                "{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": "
                        + "\"y\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"only a question\"}]}",
                "",
                GOOD,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": "
                        + "\"a\", \"weight\": 0}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q\", \"weight\": 1}, {\"role\": \"assistant\", "
                        + "\"content\": \"a\"}]}",
                "[1, 2]",
                "{\"prompt\": \"completion format\", \"completion\": \"no\"}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": "
                        + "\"a\", \"weight\": 0.5}]}");
        ChatDataset.Parsed parsed = ChatDataset.parse(file);

        assertThat(parsed.examples()).extracting(ChatExample::line).containsExactly(1);
        assertThat(parsed.problems()).extracting(LineProblem::line).containsExactly(2, 3, 4, 6, 7, 8, 9, 10, 11);
        assertThat(parsed.problems().get(0).reason()).startsWith("not valid JSON");
        assertThat(parsed.problems().get(1).reason()).contains("unknown role \"bot\"");
        assertThat(parsed.problems().get(2).reason()).startsWith("no assistant turn");
        assertThat(parsed.problems().get(3).reason()).isEqualTo("duplicate of line 1 (the same messages); remove one "
                + "of them");
        assertThat(parsed.problems().get(4).reason()).startsWith("no assistant turn");
        assertThat(parsed.problems().get(5).reason()).contains("only assistant messages take");
        assertThat(parsed.problems().get(6).reason()).startsWith("not a JSON object");
        assertThat(parsed.problems().get(7).reason()).startsWith("no \"messages\" array");
        assertThat(parsed.problems().get(8).reason()).contains("weight 0.5");
    }

    @Test
    void theLossIsOnTheLearnedAssistantTurnsAndTheirEndMarker() {
        try (LoadedModel model = LoadedModel.open(TestModels.require(TestModels.STORIES), 1)) {
            var tokens = new ChatTokens(model.chatTemplate(), model.tokenizer(),
                    model.model().config().contextLength());
            ChatExample example = ChatDataset.parse("""
                    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Who?"}, \
                    {"role": "assistant", "content": "Lily.", "weight": 0}, {"role": "user", "content": "Where?"}, \
                    {"role": "assistant", "content": "In the park."}]}""").examples().getFirst();
            TokenizedExample tokenized = tokens.tokenize(example);

            var learnedIds = new ArrayList<Integer>();
            var contextIds = new ArrayList<Integer>();
            for (int i = 0; i < tokenized.tokens().length; i++) {
                (tokenized.lossWeights()[i] > 0 ? learnedIds : contextIds).add(tokenized.tokens()[i]);
            }
            String learned = model.tokenizer().decode(learnedIds.stream().mapToInt(Integer::intValue).toArray(), true);
            String context = model.tokenizer().decode(contextIds.stream().mapToInt(Integer::intValue).toArray(),
                    true);
            // The template's own rendering of the turn: the text, then its end marker, which the model must learn.
            String full = model.chatTemplate().render(example.templateMessages(5), false);
            String before = model.chatTemplate().render(example.templateMessages(4), true);
            assertThat(learned).isEqualTo(full.substring(before.length()));
            assertThat(learned).startsWith("In the park.").doesNotContain("Lily");
            assertThat(context).contains("Lily.").contains("Be brief.").doesNotContain("park");
            assertThat(tokenized.tokens()[0]).as("BOS first").isEqualTo(model.tokenizer().bos());
        }
    }

    @Test
    void examplesLongerThanTheWindowAreNamedByLine() {
        try (LoadedModel model = LoadedModel.open(TestModels.require(TestModels.STORIES), 1)) {
            var tokens = new ChatTokens(model.chatTemplate(), model.tokenizer(), 64);
            String longAnswer = "Once upon a time there was a dog. ".repeat(20);
            ChatTokens.Result result = tokens.tokenize(ChatDataset.parse(GOOD + "\n{\"messages\": [{\"role\": "
                    + "\"user\", \"content\": \"Tell me\"}, {\"role\": \"assistant\", \"content\": \"" + longAnswer
                    + "\"}]}").examples());
            assertThat(result.examples()).hasSize(1);
            assertThat(result.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.line()).isEqualTo(2);
                assertThat(problem.reason()).contains("longer than its window of 64 tokens");
            });
        }
    }

    @Test
    void everyEpochVisitsEveryExampleOnceInASeededOrder() {
        var plan = new BatchPlan(10, 4, 3, 7);
        assertThat(plan.stepsPerEpoch()).isEqualTo(3);
        assertThat(plan.totalSteps()).isEqualTo(9);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = new ArrayList<>();
            for (int step = epoch * 3 + 1; step <= epoch * 3 + 3; step++) {
                seen.addAll(plan.batch(step));
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).boxed().toList());
        }
        assertThat(plan.batch(1)).isNotEqualTo(plan.batch(4));
        assertThat(new BatchPlan(10, 4, 3, 7).batch(5)).isEqualTo(plan.batch(5));
        assertThat(new BatchPlan(10, 4, 3, 8).batch(1)).isNotEqualTo(plan.batch(1));
    }

    @Test
    void theValidationSplitIsSeededAndDisjoint() {
        List<Integer> examples = IntStream.range(0, 50).boxed().toList();
        DataSplit<Integer> split = DataSplit.of(examples, null, 0.1, 42);
        assertThat(split.validation()).hasSize(5);
        assertThat(split.train()).hasSize(45);
        Set<Integer> all = new HashSet<>(split.train());
        all.addAll(split.validation());
        assertThat(all).hasSize(50);
        assertThat(DataSplit.of(examples, null, 0.1, 42)).isEqualTo(split);
        assertThat(DataSplit.of(examples, List.of(99), 0.1, 42).train()).isEqualTo(examples);
    }
}
