package dev.hanul.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.Usage;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last token of a generation that ended on an end-of-sequence token, with SmolLM2's tokenizer: it has several
 * (<|endoftext|> 0, <|im_end|> 2, the main EOS), and the one the engine sampled is the one reported. The engine's
 * events are written here because a chat answer always ends on <|im_end|>; {@link TgiSmolLm2Test} checks that one
 * end to end.
 */
class TokenStreamTest {

    private static GgufFile gguf;
    private static Tokenizer tokenizer;
    private static int endOfText;
    private static int hello;

    @BeforeAll
    static void open() {
        gguf = GgufFile.open(TestModels.require(TestModels.SMOLLM2));
        tokenizer = Tokenizer.fromGguf(gguf);
        endOfText = tokenizer.encode("<|endoftext|>", true)[0];
        hello = tokenizer.encode("Hello")[0];
    }

    @AfterAll
    static void close() {
        if (gguf != null) {
            gguf.close();
        }
    }

    @Test
    void theEndOfSequenceTokenTheModelSampledEndsTheStreamWithItsText() {
        assertThat(endOfText).as("not the model's main EOS, which the last token used to be guessed as")
                .isNotEqualTo(tokenizer.eos());
        TokenStream stream = new TokenStream(plan("{\"inputs\": \"Hi\", \"parameters\": {}}", true), tokenizer);

        List<StreamResponse> first = stream.accept(new GenerationEvent.Token(0, hello, "Hello", null));
        List<StreamResponse> end = stream.accept(stopped(""));

        assertThat(first).singleElement().satisfies(event -> assertThat(event.details()).isNull());
        StreamResponse last = end.getLast();
        assertThat(last.token()).isEqualTo(new Token(endOfText, "<|endoftext|>", null, true));
        assertThat(last.generatedText()).isEqualTo("Hello");
        assertThat(last.details().finishReason()).isEqualTo("eos_token");
        assertThat(last.details().generatedTokens()).isEqualTo(2);
    }

    @Test
    void textHeldBackForAStopSequenceGoesToTheLastTextTokenNotTheEndOfSequenceToken() {
        String body = "{\"inputs\": \"Hi\", \"parameters\": {\"stop\": [\"Hello world\"], \"details\": true}}";
        TokenStream stream = new TokenStream(plan(body, false), tokenizer);

        stream.accept(new GenerationEvent.Token(0, hello, "", null));
        stream.accept(stopped("Hello"));

        GenerateResponse response = stream.response();
        assertThat(response.generatedText()).isEqualTo("Hello");
        assertThat(response.details().finishReason()).isEqualTo("eos_token");
        assertThat(response.details().tokens()).containsExactly(new Token(hello, "Hello", null, false),
                new Token(endOfText, "<|endoftext|>", null, true));
    }

    private static GenerationPlan plan(String body, boolean streaming) {
        GenerateRequest request = JsonMapper.builder().build().readValue(body, GenerateRequest.class);
        return GenerationPlan.of(request, tokenizer, new TokenLimits(100, 200), streaming, false);
    }

    /** The engine's end on <|endoftext|>: sampled and counted, sent without a token event. */
    private static GenerationEvent.Finished stopped(String heldBackText) {
        return new GenerationEvent.Finished(0, FinishReason.STOP, heldBackText, new Usage(2, 2, 0), null, endOfText,
                null, null);
    }
}
