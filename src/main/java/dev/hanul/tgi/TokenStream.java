package dev.hanul.tgi;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.TokenLogprob;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one request's engine events into TGI's stream: exactly one event per generated token, the last of which
 * carries generated_text and details, as TGI clients expect (they count tokens and read the end from the last event).
 *
 * <p>The engine reports the end after the last token, so the token that may be the last is held back until the next
 * event says whether it was: the max_new_tokens-th token always (the end follows at once), and every token of a
 * request with stop sequences (one engine step of delay, paid only by those requests). A generation that ends with
 * an end-of-sequence token gets that token (the one the model sampled, of the several a chat model may have) as its
 * last event, with its text and marked special, as TGI sends it; like TGI, generated_text leaves it out. Text the
 * engine held back (the start of what looked like a stop sequence, an unfinished character) goes into the last text
 * token. Not thread-safe: one instance per request, fed in order.
 */
final class TokenStream {

    private final GenerationPlan plan;
    private final Tokenizer tokenizer;
    private final StringBuilder text = new StringBuilder();
    private final List<Token> tokens = new ArrayList<>();
    private final List<List<Token>> topTokens = new ArrayList<>();
    private GenerationEvent.Token heldBack;
    private int generated;
    private GenerateResponse.Details details;

    TokenStream(GenerationPlan plan, Tokenizer tokenizer) {
        this.plan = plan;
        this.tokenizer = tokenizer;
    }

    /** The stream events this engine event releases (none, one, or two). */
    List<StreamResponse> accept(GenerationEvent event) {
        return switch (event) {
            case GenerationEvent.Token token -> acceptToken(token);
            case GenerationEvent.Finished finished -> finish(finished);
        };
    }

    /** The whole answer, for {@code POST /generate}; valid once the engine's events have all been accepted. */
    GenerateResponse response() {
        if (details == null) {
            throw new IllegalStateException("The generation ended without a finish event");
        }
        return new GenerateResponse(generatedText(), plan.details() ? details : null);
    }

    private List<StreamResponse> acceptToken(GenerationEvent.Token token) {
        generated++;
        List<StreamResponse> released = new ArrayList<>(2);
        if (heldBack != null) {
            released.add(streamEvent(heldBack, heldBack.text(), null));
            heldBack = null;
        }
        if (generated == plan.maxNewTokens() || plan.hasStopSequences()) {
            heldBack = token;
        } else {
            released.add(streamEvent(token, token.text(), null));
        }
        return released;
    }

    private List<StreamResponse> finish(GenerationEvent.Finished finished) {
        // ERROR never comes: the inference façade ends the stream with a failure instead.
        if (finished.reason() == FinishReason.CANCELLED) {
            return List.of(); // nobody is listening any more
        }
        // TGI has no stop token ids: a stop token is one of the model's end-of-sequence tokens.
        boolean endOfSequence = finished.stopToken() != null;
        String reason = finished.reason() == FinishReason.LENGTH ? "length"
                : endOfSequence ? "eos_token" : "stop_sequence";
        int generatedTokens = finished.usage().completionTokens();
        details = new GenerateResponse.Details(reason, generatedTokens, plan.seed(), List.of(), tokens, topTokens);
        var streamDetails = new StreamResponse.StreamDetails(reason, generatedTokens, plan.seed(),
                plan.inputLength());
        List<StreamResponse> released = new ArrayList<>(2);
        if (endOfSequence) {
            if (heldBack != null) {
                released.add(streamEvent(heldBack, heldBack.text() + finished.text(), null));
            } else {
                // Only the bytes of an unfinished character come without a held-back token: they are text, but of
                // no token (the end-of-sequence token's text is its own).
                text.append(finished.text());
            }
            released.add(endOfSequenceEvent(finished.stopToken(), streamDetails));
        } else {
            released.add(streamEvent(heldBack, heldBack.text() + finished.text(), streamDetails));
        }
        heldBack = null;
        return released;
    }

    private StreamResponse streamEvent(GenerationEvent.Token event, String tokenText, StreamResponse.StreamDetails end) {
        Logprobs logprobs = event.logprobs();
        Token token = new Token(event.token(), tokenText, logprobs != null ? logprobs.sampled().logprob() : null,
                tokenizer.isSpecial(event.token()));
        List<Token> top = logprobs != null ? logprobs.top().stream().map(this::alternative).toList() : List.of();
        return record(token, top, end);
    }

    /** The stop token's text is its own (e.g. {@code <|im_end|>}), as TGI shows it, and not part of generated_text. */
    private StreamResponse endOfSequenceEvent(int stopToken, StreamResponse.StreamDetails end) {
        Token token = new Token(stopToken, tokenizer.decode(new int[] {stopToken}, true), null, true);
        return record(token, "", List.of(), end);
    }

    private StreamResponse record(Token token, List<Token> top, StreamResponse.StreamDetails end) {
        return record(token, token.text(), top, end);
    }

    private StreamResponse record(Token token, String addedText, List<Token> top, StreamResponse.StreamDetails end) {
        text.append(addedText);
        tokens.add(token);
        if (!top.isEmpty()) {
            topTokens.add(top);
        }
        return new StreamResponse(0, token, top, end != null ? generatedText() : null, end);
    }

    /** An alternative's text is its own bytes: possibly part of a character, as TGI shows it. */
    private Token alternative(TokenLogprob candidate) {
        return new Token(candidate.token(),
                new String(tokenizer.tokenBytes(candidate.token()), StandardCharsets.UTF_8), candidate.logprob(),
                tokenizer.isSpecial(candidate.token()));
    }

    private String generatedText() {
        return plan.returnFullText() ? plan.inputs() + text : text.toString();
    }
}
