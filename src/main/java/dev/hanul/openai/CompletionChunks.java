package dev.hanul.openai;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.sampling.SamplingParams;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chunks of a streaming text completion: one per token that releases text (or has log probabilities), each
 * choice's last with its finish reason; text offsets count from the start of each choice's text.
 */
final class CompletionChunks {

    private final String id;
    private final long created;
    private final String model;
    private final TokenText text;

    CompletionChunks(String id, long created, String model, TokenText text) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.text = text;
    }

    Flux<Completion> of(Flux<GenerationEvent> events, SamplingParams params, boolean includeUsage) {
        var usage = new AtomicReference<>(new Usage(0, 0, 0));
        int[] offsets = new int[params.n()];
        Flux<Completion> chunks = events.mapNotNull(event -> chunk(event, params.stopTokenIds(), offsets, usage));
        return includeUsage ? chunks.concatWith(Mono.fromSupplier(() -> Completion.of(id, created, model,
                List.of(), UsageInfo.of(usage.get())))) : chunks;
    }

    /** Null for a token that releases no text yet and carries no log probabilities. */
    private Completion chunk(GenerationEvent event, List<Integer> stopTokenIds, int[] offsets,
            AtomicReference<Usage> usage) {
        return switch (event) {
            case GenerationEvent.Token token when token.text().isEmpty() && token.logprobs() == null -> null;
            case GenerationEvent.Token token -> {
                int offset = offsets[token.index()];
                offsets[token.index()] += token.text().length();
                yield chunk(new Completion.Choice(token.index(), token.text(), token.logprobs() == null ? null
                        : CompletionLogprobs.of(List.of(token.logprobs()), List.of(offset), text), null, null));
            }
            case GenerationEvent.Finished finished -> {
                String reason = FinishReasons.of(finished);
                usage.set(finished.usage());
                yield chunk(new Completion.Choice(finished.index(), finished.text(), null, reason,
                        FinishReasons.stopReason(finished, stopTokenIds)));
            }
        };
    }

    private Completion chunk(Completion.Choice choice) {
        return Completion.of(id, created, model, List.of(choice), null);
    }
}
