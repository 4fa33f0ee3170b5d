package dev.hanul.chat;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.guard.ContextGuard;
import dev.hanul.inference.Inference;
import dev.hanul.inference.InferenceFailure.Rejected;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.monitoring.GuardrailDecision;
import dev.hanul.monitoring.GuardrailRecord;
import dev.hanul.monitoring.InteractionNote;
import dev.hanul.monitoring.RetrievedChunk;
import dev.hanul.retrieval.Retriever;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.observability.micrometer.Micrometer;
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

    /**
     * Everything generation needs, decided before it starts.
     *
     * @param model the version the conversation was routed to, which generates the answer
     */
    public record PreparedChat(ChatInput input, String conversationId, RoutedModel model, GenerationRequest request,
                               List<Citation> citations, long startedNanos, long retrievalMs,
                               List<GuardrailDecision> contextDecisions) {

        public PreparedChat {
            contextDecisions = contextDecisions == null ? List.of() : List.copyOf(contextDecisions);
        }

        /** What the interaction log records about this request besides the generation: see {@link InteractionNote}. */
        public InteractionNote interactionNote(String api) {
            List<RetrievedChunk> chunks = citations.stream().flatMap(citation -> citation.chunkIds().stream()
                    .map(chunk -> new RetrievedChunk(chunk, citation.score()))).toList();
            boolean rag = input.search() != null;
            GuardrailRecord guardrails = new GuardrailRecord();
            contextDecisions.forEach(guardrails::add);
            return new InteractionNote(api, input.tenant(), input.question(), rag ? input.template().name() : null,
                    rag ? input.template().version() : null, chunks, guardrails,
                    citations.stream().map(Citation::text).filter(Objects::nonNull).toList());
        }
    }

    private final Inference inference;
    private final Retriever retriever;
    private final ObservationRegistry observations;
    private final ConversationStore conversations;
    private final ChatProperties properties;
    private final ContextGuard contextGuard;
    private final SourceMerger merger = new SourceMerger();

    ChatService(Inference inference, Retriever retriever, ConversationStore conversations,
            ChatProperties properties, ContextGuard contextGuard, ObservationRegistry observations) {
        this.inference = inference;
        this.observations = observations;
        this.retriever = retriever;
        this.conversations = conversations;
        this.properties = properties;
        this.contextGuard = contextGuard;
    }

    /**
     * Everything before generation, with the conversation as the routing key: a canary keeps each conversation on
     * one version.
     *
     * @throws InferenceFailure when the model named is unknown or not ready (later failures come as the Mono's
     *                          error)
     */
    public Mono<PreparedChat> prepare(ChatInput input) {
        return prepare(input, null);
    }

    /** @param routingKey what keeps related requests on one version instead of the conversation id; null for that */
    public Mono<PreparedChat> prepare(ChatInput input, String routingKey) {
        long started = System.nanoTime();
        String conversationId = input.conversationId();
        RoutedModel model = inference.route(input.model(), routingKey != null ? routingKey : conversationId);
        Mono<List<ChatMessage>> stored = conversations.history(input.tenant(), conversationId);
        return Mono.zip(stored, retrieve(input).elapsed())
                .publishOn(Schedulers.boundedElastic()) // tokenizing prompts to measure them is CPU work
                .flatMap(ready -> Mono.fromCallable(() -> {
                    List<ChatMessage> history = new ArrayList<>(ready.getT1());
                    history.addAll(input.earlier());
                    ContextGuard.Screened screened = ready.getT2().getT2();
                    return prepared(input, conversationId, model, history, merger.merge(screened.hits()),
                            input.search() == null ? 0 : ready.getT2().getT1(), started, screened.decisions());
                }).name("hanul.chat.assemble").tap(Micrometer.observation(observations)));
    }

    /** The hits the prompt may quote: the context guardrail has left out or quarantined injected chunks. */
    private Mono<ContextGuard.Screened> retrieve(ChatInput input) {
        if (input.search() == null) {
            return Mono.just(new ContextGuard.Screened(List.of(), List.of()));
        }
        Duration timeout = properties.retrievalTimeout();
        return retriever.search(input.search())
                .timeout(timeout, Mono.error(() -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
                        ("Retrieval took longer than hanul.chat.retrieval-timeout (%s); retry, narrow the search "
                                + "with retrieval.filters, or raise the setting").formatted(timeout),
                        new TimeoutException())))
                .publishOn(Schedulers.boundedElastic()) // checking chunks runs a classifier
                .map(hits -> contextGuard.screen(input.tenant(), hits))
                .name("hanul.chat.retrieve").tap(Micrometer.observation(observations));
    }

    private PreparedChat prepared(ChatInput input, String conversationId, RoutedModel model,
            List<ChatMessage> history, List<Passage> passages, long retrievalMs, long started,
            List<GuardrailDecision> contextDecisions) {
        int window = model.window();
        int answerTokens = answerTokens(input, window);
        var assembler = new ContextAssembler(messages -> model.encodeChat(messages).length);
        ContextAssembler.TurnWriter turn = input.search() == null
                ? (question, sources) -> PromptTurn.userOnly(question)
                : input.template()::render;
        ContextAssembler.Assembled assembled = assembler.assemble(input.system(), history, input.question(),
                passages, turn, new ContextAssembler.Budget(window, answerTokens, properties.historyTokens()));
        SamplingParams sampling = model.sampling(input.sampling(), answerTokens);
        return new PreparedChat(input, conversationId, model,
                GenerationRequest.of(model.encodeChat(assembled.messages()), sampling), assembled.citations(),
                started, retrievalMs, contextDecisions);
    }

    private int answerTokens(ChatInput input, int window) {
        if (input.maxTokens() == null) {
            return Math.min(properties.answerTokens(), window / 2);
        }
        if (input.maxTokens() < 1 || input.maxTokens() >= window) {
            throw new Rejected(Parameter.MAX_TOKENS, names -> ("%s must be at least 1 and leave room for the prompt: "
                    + "the model holds %d tokens in all, got %d.").formatted(names.of(Parameter.MAX_TOKENS), window,
                    input.maxTokens()));
        }
        return input.maxTokens();
    }

    /**
     * Generates the answer as events. Generation starts on subscription and follows the subscriber's demand;
     * cancelling the subscription (a client that went away) cancels the generation, and nothing is stored.
     */
    public Flux<ChatEvent> answer(PreparedChat prepared) {
        return Flux.defer(() -> {
            var answer = new AnswerState();
            Flux<GenerationEvent> events = prepared.model().generate(prepared.request(),
                    prepared.interactionNote("chat")::addTo);
            Flux<ChatEvent> tokens = events.handle((event, sink) -> {
                switch (event) {
                    case GenerationEvent.Token token when !token.text().isEmpty() -> {
                        answer.append(token.text(), prepared.startedNanos());
                        sink.next(new ChatEvent.Token(token.text()));
                    }
                    case GenerationEvent.Token ignored -> {
                    }
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
        return new ChatEvent.Done(prepared.conversationId(), prepared.model().name(),
                answer.reason().name().toLowerCase(Locale.ROOT),
                new ChatEvent.Usage(answer.usage().promptTokens(), answer.usage().completionTokens()),
                new ChatEvent.Timings(prepared.retrievalMs(), answer.firstTokenMs(),
                        (now - prepared.startedNanos()) / 1_000_000),
                input.search() == null ? null
                        : new ChatEvent.TemplateRef(input.template().name(), input.template().version()),
                prepared.request().id());
    }
}
