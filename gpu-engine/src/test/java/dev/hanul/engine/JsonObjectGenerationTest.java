package dev.hanul.engine;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertBeginsAnObject;
import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertIsAnObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.json.JsonObjectGrammar;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Constrained decoding to a JSON object, checked with a real JSON parser. On stories260K, a story model that never saw
 * JSON, whatever it samples is shaped into an object; SmolLM2, a chat model asked for JSON, closes its object and the
 * sample ends there.
 */
class JsonObjectGenerationTest {

    private static final EngineConfig CONFIG = new EngineConfig(16L << 20, 16, 16, 64, 64, 32, 2);
    private static InferenceEngine engine;
    private static JsonObjectGrammar grammar;

    @BeforeAll
    static void open() {
        engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), CONFIG);
        grammar = new JsonObjectGrammar(engine.tokenizer());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * stories260K writes stories: inside a JSON string any text is valid, and "}" is a byte-fallback token it all but
     * never picks, so its samples run to max_tokens (LENGTH) mid-object. What it wrote must then be the beginning of
     * an object that the parser reads to the end of the input without any error but that end; a sample that closes
     * its object must have stopped right there and parse whole.
     */
    @Test
    void everySampleAtTemperatureOneIsAJsonObjectOrTheBeginningOfOne() {
        for (long seed = 1; seed <= 6; seed++) {
            SamplingParams params = SamplingParams.builder().temperature(1f).seed(seed).maxTokens(300)
                    .constraint(grammar).build();
            EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params)))
                    .await();
            String text = events.text(0);
            if (events.finished().reason() == FinishReason.STOP) {
                assertIsAnObject(text);
            } else {
                assertThat(events.finished().reason()).isEqualTo(FinishReason.LENGTH);
                assertBeginsAnObject(text);
            }
        }
    }

    @Test
    void logprobsComeFromTheModelsDistributionNotTheMask() {
        SamplingParams free = SamplingParams.builder().temperature(0f).maxTokens(1).logprobs(5).build();
        SamplingParams constrained = free.toBuilder().constraint(grammar).build();
        var unconstrained = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, free))).await()
                .tokenEvents().getFirst();
        var masked = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, constrained))).await()
                .tokenEvents().getFirst();
        assertThat(masked.token()).as("the story's first word is not JSON").isNotEqualTo(unconstrained.token());
        assertThat(masked.logprobs().top()).isEqualTo(unconstrained.logprobs().top());
    }

    @Test
    void parallelConstrainedSamplesEachMatchTheirSeedAlone() {
        SamplingParams three = SamplingParams.builder().temperature(1f).seed(7L).n(3).maxTokens(40)
                .constraint(grammar).build();
        EventCollector together = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, three)))
                .await();
        for (int index = 0; index < 3; index++) {
            SamplingParams alone = three.toBuilder().n(1).seed(Sampler.seedOf(7L, index)).build();
            EventCollector single = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, alone)))
                    .await();
            assertThat(together.tokens(index)).isEqualTo(single.tokens());
            assertBeginsAnObject(together.text(index));
        }
    }

    @Test
    void aChatModelAskedForJsonClosesTheObjectAndStops() {
        try (LoadedModel smol = LoadedModel.open(TestModels.require(TestModels.SMOLLM2), 2);
             InferenceEngine chat = new InferenceEngine(smol.model(), smol.tokenizer(), CONFIG)) {
            JsonObjectGrammar smolGrammar = new JsonObjectGrammar(smol.tokenizer());
            int[] prompt = smol.tokenizer().encodePrompt(smol.chatTemplate().render(List.of(
                    ChatMessage.user("Give the capital of France as JSON with key capital.")), true));
            for (long seed = 1; seed <= 3; seed++) {
                SamplingParams params = SamplingParams.builder().temperature(1f).seed(seed).maxTokens(120)
                        .constraint(smolGrammar).build();
                EventCollector events = EventCollector.of(chat.submit(GenerationRequest.of(prompt, params))).await();
                String text = events.text(0);
                assertThat(events.finished().reason()).as(text).isEqualTo(FinishReason.STOP);
                assertIsAnObject(text);
                assertThat(text.strip()).as("nothing follows the object").endsWith("}");
            }
        }
    }
}
