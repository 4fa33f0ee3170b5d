package dev.hanul.openai;

import dev.hanul.chat.Citation;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.SamplingParams;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chunks of a streaming chat completion: one per choice with the assistant role first, then one per token that
 * releases text (or has log probabilities), each choice's last with its finish reason; with n > 1 the choices'
 * chunks interleave as the engine produces them, told apart by index. A RAG answer's citations ride on each choice's
 * last chunk, so a client that reads up to the finish reason has them.
 */
final class ChatChunks {

    private final String id;
    private final long created;
    private final String model;
    private final TokenText text;
    private final List<Citation> citations;

    /** @param citations null for plain chat */
    ChatChunks(String id, long created, String model, TokenText text, List<Citation> citations) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.text = text;
        this.citations = citations;
    }

    Flux<ChatCompletionChunk> of(Flux<GenerationEvent> events, SamplingParams params, boolean includeUsage) {
        var usage = new AtomicReference<>(new Usage(0, 0, 0));
        Flux<ChatCompletionChunk> chunks = Flux.range(0, params.n())
                .map(index -> chunk(index, new ChatCompletionChunk.Delta("assistant", ""), null, null, null))
                .concatWith(events.mapNotNull(event -> chunk(event, params.stopTokenIds(), usage)));
        return includeUsage ? chunks.concatWith(Mono.fromSupplier(() -> new ChatCompletionChunk(id,
                "chat.completion.chunk", created, model, List.of(), UsageInfo.of(usage.get()), null))) : chunks;
    }

    /** Null for a token that releases no text yet and carries no log probabilities. */
    private ChatCompletionChunk chunk(GenerationEvent event, List<Integer> stopTokenIds,
            AtomicReference<Usage> usage) {
        return switch (event) {
            case GenerationEvent.Token token when token.text().isEmpty() && token.logprobs() == null -> null;
            case GenerationEvent.Token token -> chunk(token.index(), new ChatCompletionChunk.Delta(null,
                    token.text()), token.logprobs() == null ? null : ChatLogprobs.of(List.of(token.logprobs()), text),
                    null, null);
            case GenerationEvent.Finished finished -> {
                String reason = FinishReasons.of(finished);
                usage.set(finished.usage());
                yield chunk(finished.index(), new ChatCompletionChunk.Delta(null,
                        finished.text().isEmpty() ? null : finished.text()), null, reason,
                        FinishReasons.stopReason(finished, stopTokenIds));
            }
        };
    }

    private ChatCompletionChunk chunk(int index, ChatCompletionChunk.Delta delta, ChatLogprobs logprobs,
            String finishReason, Object stopReason) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new ChatCompletionChunk.Choice(index, delta, logprobs, finishReason, stopReason)), null,
                finishReason == null ? null : citations);
    }
}
