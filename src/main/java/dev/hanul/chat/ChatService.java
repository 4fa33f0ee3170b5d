package dev.hanul.chat;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.inference.ServedModel;
import dev.hanul.retrieval.Retriever;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers a chat request: load the conversation, retrieve sources, fit everything into the model's window, generate,
 * then store the question and the answer in the conversation. {@link #prepare} does everything before generation,
 * so that its failures (bad input, retrieval timeout, model not ready) are answered as plain JSON errors before any
 * of the stream is sent.
 */
@Service
public class ChatService {

    /** Everything generation needs, decided before it starts. */
    public record PreparedChat(ChatInput input, String conversationId, GenerationRequest request,
                               List<Citation> citations, long startedNanos, long retrievalMs) {
    }

    private final ServedModel served;
    private final Retriever retriever;
    private final ConversationStore conversations;
    private final ChatProperties properties;
    private final SourceMerger merger = new SourceMerger();

    ChatService(ServedModel served, Retriever retriever, ConversationStore conversations, ChatProperties properties) {
        this.served = served;
        this.retriever = retriever;
        this.conversations = conversations;
        this.properties = properties;
    }

    public Mono<PreparedChat> prepare(ChatInput input) {
        long started = System.nanoTime();
        Mono<List<ChatMessage>> stored = input.conversationId() == null ? Mono.just(List.of())
                : conversations.history(input.tenant(), input.conversationId());
        return Mono.zip(stored, retrieve(input).elapsed())
                .publishOn(Schedulers.boundedElastic()) // tokenizing prompts to measure them is CPU work
                .map(ready -> {
                    List<ChatMessage> history = new ArrayList<>(ready.getT1());
                    history.addAll(input.earlier());
                    return prepared(input, history, ready.getT2().getT2(),
                            input.search() == null ? 0 : ready.getT2().getT1(), started);
                });
    }

    private Mono<List<Passage>> retrieve(ChatInput input) {
        if (input.search() == null) {
            return Mono.just(List.of());
        }
        Duration timeout = properties.retrievalTimeout();
        return retriever.search(input.search())
                .timeout(timeout, Mono.error(() -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
                        ("Retrieval took longer than hanul.chat.retrieval-timeout (%s); retry, narrow the search "
                                + "with retrieval.filters, or raise the setting").formatted(timeout),
                        new TimeoutException())))
                .map(merger::merge);
    }

    private PreparedChat prepared(ChatInput input, List<ChatMessage> history, List<Passage> passages,
            long retrievalMs, long started) {
        LoadedModel model = served.model();
        int window = Math.min(model.model().config().contextLength(), served.engine().kvCapacityTokens());
        int answerTokens = answerTokens(input, window);
        var assembler = new ContextAssembler(messages -> encode(model, messages).length);
        ContextAssembler.TurnWriter turn = input.search() == null
                ? (question, sources) -> PromptTurn.userOnly(question)
                : input.template()::render;
        ContextAssembler.Assembled assembled;
        try {
            assembled = assembler.assemble(input.system(), history, input.question(), passages, turn,
                    new ContextAssembler.Budget(window, answerTokens, properties.historyTokens()));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
        }
        SamplingParams sampling = input.sampling().withMaxTokens(answerTokens);
        String conversationId = input.conversationId() != null ? input.conversationId()
                : UUID.randomUUID().toString();
        return new PreparedChat(input, conversationId,
                GenerationRequest.of(encode(model, assembled.messages()), sampling), assembled.citations(), started,
                retrievalMs);
    }

    private int answerTokens(ChatInput input, int window) {
        if (input.maxTokens() == null) {
            return Math.min(properties.answerTokens(), window / 2);
        }
        if (input.maxTokens() >= window) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ("sampling.maxTokens %d leaves no room for "
                    + "the prompt: the model %s holds %d tokens in all; ask for fewer.")
                    .formatted(input.maxTokens(), served.id(), window));
        }
        return input.maxTokens();
    }

    private static int[] encode(LoadedModel model, List<ChatMessage> messages) {
        return model.tokenizer().encodePrompt(model.chatTemplate().render(messages, true));
    }

    /**
     * Generates the answer as events. Generation starts on subscription and follows the subscriber's demand;
     * cancelling the subscription (a client that went away) cancels the generation, and nothing is stored.
     */
    public Flux<ChatEvent> answer(PreparedChat prepared) {
        return Flux.defer(() -> {
            var answer = new AnswerState();
            Flux<ChatEvent> tokens = served.generate(prepared.request()).handle((event, sink) -> {
                switch (event) {
                    case GenerationEvent.Token token when !token.text().isEmpty() -> {
                        answer.append(token.text(), prepared.startedNanos());
                        sink.next(new ChatEvent.Token(token.text()));
                    }
                    case GenerationEvent.Token ignored -> {
                    }
                    case GenerationEvent.Finished finished when finished.reason() == FinishReason.ERROR ->
                            sink.error(new IllegalStateException("The engine failed while answering: "
                                    + finished.message()));
                    case GenerationEvent.Finished finished -> {
                        answer.finish(finished);
                        if (!finished.text().isEmpty()) {
                            answer.append(finished.text(), prepared.startedNanos());
                            sink.next(new ChatEvent.Token(finished.text()));
                        }
                    }
                }
            });
            return tokens
                    .concatWith(Mono.fromSupplier(() -> new ChatEvent.Citations(prepared.citations())))
                    .concatWith(Mono.defer(() -> store(prepared, answer).then(Mono.fromSupplier(
                            () -> done(prepared, answer)))));
        });
    }

    private Mono<Void> store(PreparedChat prepared, AnswerState answer) {
        if (answer.reason() == FinishReason.CANCELLED) {
            return Mono.empty();
        }
        return conversations.append(prepared.input().tenant(), prepared.conversationId(), List.of(
                ChatMessage.user(prepared.input().question()), ChatMessage.assistant(answer.text())));
    }

    private ChatEvent.Done done(PreparedChat prepared, AnswerState answer) {
        ChatInput input = prepared.input();
        long now = System.nanoTime();
        return new ChatEvent.Done(prepared.conversationId(), served.id(),
                answer.reason().name().toLowerCase(Locale.ROOT),
                new ChatEvent.Usage(answer.usage().promptTokens(), answer.usage().completionTokens()),
                new ChatEvent.Timings(prepared.retrievalMs(), answer.firstTokenMs(),
                        (now - prepared.startedNanos()) / 1_000_000),
                input.search() == null ? null
                        : new ChatEvent.TemplateRef(input.template().name(), input.template().version()));
    }
}
