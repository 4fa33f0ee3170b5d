package dev.hanul.openai;

import dev.hanul.chat.Citation;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.chat.ToolCall;
import dev.hanul.engine.chat.ToolCallFormat;
import dev.hanul.engine.chat.ToolCallStream;
import dev.hanul.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chunks of a streaming chat completion: one per choice with the assistant role first, then one per token that
 * releases text (or has log probabilities), each choice's last with its finish reason; with n > 1 the choices'
 * chunks interleave as the engine produces them, told apart by index. A RAG answer's citations ride on each choice's
 * last chunk, so a client that reads up to the finish reason has them. When tools were offered, each choice's text
 * goes through a {@link ToolCallStream}: a call comes out, once it is whole, as OpenAI streams one (a chunk with its
 * id, type and name, then one with its arguments), and the choice ends with finish reason {@code tool_calls}.
 */
final class ChatChunks {

    private final String id;
    private final long created;
    private final String model;
    private final TokenText text;
    private final List<Citation> citations;
    private final ToolCallFormat tools;

    /**
     * @param citations null for plain chat
     * @param tools     the model's tool-call format when tools were offered, else null
     */
    ChatChunks(String id, long created, String model, TokenText text, List<Citation> citations,
            ToolCallFormat tools) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.text = text;
        this.citations = citations;
        this.tools = tools;
    }

    Flux<ChatCompletionChunk> of(Flux<GenerationEvent> events, SamplingParams params, boolean includeUsage) {
        var usage = new AtomicReference<>(new Usage(0, 0, 0));
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < params.n(); i++) {
            choices.add(new Choice(tools == null ? null : new ToolCallStream(tools)));
        }
        Flux<ChatCompletionChunk> chunks = Flux.range(0, params.n())
                .map(index -> chunk(index, new ChatCompletionChunk.Delta("assistant", ""), null, null, null))
                .concatWith(events.concatMapIterable(event -> chunks(event, choices.get(event.index()),
                        params.stopTokenIds(), usage)));
        return includeUsage ? chunks.concatWith(Mono.fromSupplier(() -> new ChatCompletionChunk(id,
                "chat.completion.chunk", created, model, List.of(), UsageInfo.of(usage.get()), null))) : chunks;
    }

    /** One choice's tool-call splitter (null without tools) and how many calls it has sent. */
    private static final class Choice {
        private final ToolCallStream calls;
        private int sent;

        Choice(ToolCallStream calls) {
            this.calls = calls;
        }
    }

    private List<ChatCompletionChunk> chunks(GenerationEvent event, Choice choice, List<Integer> stopTokenIds,
            AtomicReference<Usage> usage) {
        List<ChatCompletionChunk> out = new ArrayList<>();
        switch (event) {
            case GenerationEvent.Token token -> {
                ChatLogprobs logprobs = token.logprobs() == null ? null
                        : ChatLogprobs.of(List.of(token.logprobs()), text);
                if (choice.calls == null) {
                    if (!token.text().isEmpty() || logprobs != null) {
                        out.add(chunk(token.index(), new ChatCompletionChunk.Delta(null, token.text()), logprobs,
                                null, null));
                    }
                } else {
                    split(token.index(), choice, choice.calls.feed(token.text()), out);
                    if (logprobs != null) {
                        // Log probabilities ride on the token's first chunk, or on an empty one when it released none.
                        if (out.isEmpty()) {
                            out.add(chunk(token.index(), new ChatCompletionChunk.Delta(null, null), logprobs, null,
                                    null));
                        } else {
                            out.set(0, withLogprobs(out.getFirst(), logprobs));
                        }
                    }
                }
            }
            case GenerationEvent.Finished finished -> {
                String reason = FinishReasons.of(finished);
                usage.set(finished.usage());
                String rest = finished.text().isEmpty() ? null : finished.text();
                if (choice.calls != null) {
                    List<ToolCallStream.Event> pieces = new ArrayList<>(choice.calls.feed(finished.text()));
                    pieces.addAll(choice.calls.finish());
                    split(finished.index(), choice, pieces, out);
                    rest = null;
                    reason = choice.sent > 0 ? "tool_calls" : reason;
                }
                out.add(chunk(finished.index(), new ChatCompletionChunk.Delta(null, rest), null, reason,
                        FinishReasons.stopReason(finished, stopTokenIds)));
            }
        }
        return out;
    }

    private void split(int index, Choice choice, List<ToolCallStream.Event> pieces, List<ChatCompletionChunk> out) {
        for (ToolCallStream.Event piece : pieces) {
            switch (piece) {
                case ToolCallStream.Event.Text(String content) when content.isEmpty() -> {
                }
                case ToolCallStream.Event.Text(String content) -> out.add(chunk(index,
                        new ChatCompletionChunk.Delta(null, content), null, null, null));
                case ToolCallStream.Event.Call(ToolCall call) -> {
                    int callIndex = choice.sent++;
                    out.add(chunk(index, new ChatCompletionChunk.Delta(null, null, List.of(
                            new ChatCompletionChunk.ToolCallDelta(callIndex, ChatToolCall.newId(), "function",
                                    new ChatCompletionChunk.FunctionDelta(call.name(), "")))), null, null, null));
                    out.add(chunk(index, new ChatCompletionChunk.Delta(null, null, List.of(
                            new ChatCompletionChunk.ToolCallDelta(callIndex, null, null,
                                    new ChatCompletionChunk.FunctionDelta(null, call.arguments())))), null, null,
                            null));
                }
            }
        }
    }

    private static ChatCompletionChunk withLogprobs(ChatCompletionChunk chunk, ChatLogprobs logprobs) {
        ChatCompletionChunk.Choice c = chunk.choices().getFirst();
        return new ChatCompletionChunk(chunk.id(), chunk.object(), chunk.created(), chunk.model(), List.of(
                new ChatCompletionChunk.Choice(c.index(), c.delta(), logprobs, c.finishReason(), c.stopReason())),
                chunk.usage(), chunk.citations());
    }

    private ChatCompletionChunk chunk(int index, ChatCompletionChunk.Delta delta, ChatLogprobs logprobs,
            String finishReason, Object stopReason) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new ChatCompletionChunk.Choice(index, delta, logprobs, finishReason, stopReason)), null,
                finishReason == null ? null : citations);
    }
}
