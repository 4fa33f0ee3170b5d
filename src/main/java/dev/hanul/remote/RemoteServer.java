package dev.hanul.remote;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.InferenceFailure;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model on a remote OpenAI-compatible server, reached the way the engine is reached: {@link #submit} takes the
 * prompt as token ids with sampling parameters and streams {@link GenerationEvent}s. The prompt is rendered and
 * tokenized here (the façade does it for every API, to budget the window), so the request sent is the prompt's text
 * on {@code /v1/completions} with {@code stream: true}: every OpenAI-compatible server has that endpoint, and the
 * server tokenizes the text as this tokenizer did (checked on connecting, where it has {@code /tokenize}).
 *
 * <p>What the server answers becomes what the engine would have signalled: text deltas become token events (their
 * ids the local tokenizer's encoding of the text, since servers send text), finish reasons and usage become the
 * finish event; failures become {@link InferenceFailure}s: an unreachable server {@link
 * InferenceFailure.ModelNotReady}, 429 {@link InferenceFailure.Overloaded} with the server's Retry-After, 400 and 422
 * {@link InferenceFailure.Rejected} with the server's words, anything else {@link InferenceFailure.GenerationFailed}.
 */
public final class RemoteServer implements AutoCloseable {

    static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
    };

    private final String id;
    private final URI baseUrl;
    private final String model;
    private final WebClient http;
    private final JsonMapper json;
    private final GgufFile gguf;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final int contextLength;
    private final int maxConcurrent;
    private final Semaphore slots;
    private final String description;

    private RemoteServer(String id, URI baseUrl, String model, WebClient http, JsonMapper json, GgufFile gguf,
            Tokenizer tokenizer, int contextLength, int maxConcurrent, String description) {
        this.id = id;
        this.baseUrl = baseUrl;
        this.model = model;
        this.http = http;
        this.json = json;
        this.gguf = gguf;
        this.tokenizer = tokenizer;
        this.chatTemplate = ChatTemplate.of(gguf);
        this.contextLength = contextLength;
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent);
        this.description = description;
    }

    /**
     * Opens the tokenizer and asks the server what it serves; blocks (the registry's loader thread calls it).
     *
     * @param id the version's id, for messages
     * @throws IllegalStateException with the reason when the settings are incomplete, the server cannot be reached,
     *                               it does not serve the model, or its tokenizer differs from the configured one
     */
    public static RemoteServer connect(String id, RemoteProperties.Server settings, JsonMapper json) {
        if (settings.baseUrl() == null) {
            throw new IllegalStateException("set its base-url (the server's address, e.g. http://gpu-box:8000)");
        }
        if (settings.tokenizer() == null || !Files.isRegularFile(settings.tokenizer())) {
            throw new IllegalStateException(("set its tokenizer to a GGUF file of the model (a vocab-only GGUF is "
                    + "enough; got %s): prompts are rendered with its chat template and counted with its tokenizer")
                    .formatted(settings.tokenizer()));
        }
        URI baseUrl = URI.create(settings.baseUrl().toString().replaceAll("/+$", "").replaceAll("/v1$", ""));
        WebClient http = client(baseUrl, settings);
        GgufFile gguf = GgufFile.open(settings.tokenizer());
        try {
            var probe = new ServerProbe(http, json, baseUrl, settings.connectTimeout().plusSeconds(25));
            String model = probe.model(settings.model());
            int window = settings.contextLength() > 0 ? settings.contextLength()
                    : probe.contextLength(model).orElseGet(() -> ggufContextLength(gguf));
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            String check = probe.checkTokenizer(model, tokenizer, settings.tokenizer().getFileName().toString());
            String description = "%s at %s, %d tokens, tokenizer %s (%s)".formatted(model, baseUrl, window,
                    settings.tokenizer().getFileName(), check);
            return new RemoteServer(id, baseUrl, model, http, json, gguf, tokenizer, window,
                    settings.maxConcurrent(), description);
        } catch (RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    private static WebClient client(URI baseUrl, RemoteProperties.Server settings) {
        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        WebClient.Builder builder = WebClient.builder().baseUrl(baseUrl.toString())
                .clientConnector(new ReactorClientHttpConnector(netty))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20));
        if (!settings.apiKey().isBlank()) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey());
        }
        return builder.build();
    }

    private static int ggufContextLength(GgufFile gguf) {
        String architecture = gguf.getString("general.architecture", "llama");
        int length = gguf.getInt(architecture + ".context_length", 0);
        if (length <= 0) {
            throw new IllegalStateException("the server does not say its context length and the tokenizer GGUF has "
                    + "none; set its context-length");
        }
        return length;
    }

    /** The model, server, window and how the tokenizer was checked: the version's READY detail. */
    public String description() {
        return description;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public String model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    public int contextLength() {
        return contextLength;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Requests sent and not yet ended. */
    public int running() {
        return maxConcurrent - slots.availablePermits();
    }

    /**
     * Sends the request when subscribed to. Parameters the wire format cannot carry are refused at once
     * (IllegalArgumentException, as the engine refuses); everything the server says comes as a signal.
     */
    public Flow.Publisher<GenerationEvent> submit(GenerationRequest request) {
        SamplingParams params = request.params();
        if (params.logprobs() != null) {
            throw new IllegalArgumentException(("%s is served by %s, and Hanul does not relay log probabilities from "
                    + "a remote server; leave logprobs out.").formatted(id, baseUrl));
        }
        if (params.constraint() != null) {
            throw new IllegalArgumentException(("%s is served by %s, and Hanul's constrained decoding (JSON mode, "
                    + "guided output) runs only in its own engine; leave response_format/grammar out.")
                    .formatted(id, baseUrl));
        }
        ObjectNode body = body(request.prompt(), params);
        var stream = new CompletionStream(tokenizer, request.prompt().length, params.n());
        Flux<GenerationEvent> events = Flux.defer(() -> {
            if (!slots.tryAcquire()) {
                return Flux.error(new InferenceFailure.Overloaded(("%s has %d requests on its remote server, the "
                        + "limit (hanul.remote.models.<name>.max-concurrent).").formatted(id, maxConcurrent),
                        Duration.ofSeconds(1), null));
            }
            return http.post().uri("/v1/completions")
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .bodyValue(json.writeValueAsString(body))
                    .retrieve()
                    .bodyToFlux(EVENTS)
                    .takeUntil(event -> "[DONE]".equals(event.data()))
                    .concatMapIterable(event -> stream.accept(event.data(), json))
                    .concatWith(Flux.defer(() -> Flux.fromIterable(stream.finish())))
                    .onErrorMap(error -> !(error instanceof InferenceFailure),
                            error -> RemoteFailures.of(id, baseUrl, error))
                    .doFinally(signal -> slots.release());
        });
        return JdkFlowAdapter.publisherToFlowPublisher(events);
    }

    /**
     * The OpenAI completions request. Parameters beyond OpenAI's (top_k, min_p, repetition_penalty, min_tokens,
     * stop_token_ids, ignore_eos) are sent only when they differ from the neutral value; vLLM and llama-server honor
     * them, other servers may ignore them.
     */
    private ObjectNode body(int[] prompt, SamplingParams params) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("prompt", promptText(prompt));
        body.put("max_tokens", params.maxTokens());
        body.put("temperature", params.temperature());
        body.put("top_p", params.topP());
        body.put("n", params.n());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (params.seed() != null) {
            body.put("seed", params.seed());
        }
        if (!params.stop().isEmpty()) {
            params.stop().forEach(body.putArray("stop")::add);
        }
        if (params.presencePenalty() != 0) {
            body.put("presence_penalty", params.presencePenalty());
        }
        if (params.frequencyPenalty() != 0) {
            body.put("frequency_penalty", params.frequencyPenalty());
        }
        if (params.topK() > 0) {
            body.put("top_k", params.topK());
        }
        if (params.minP() > 0) {
            body.put("min_p", params.minP());
        }
        if (params.repetitionPenalty() != 1) {
            body.put("repetition_penalty", params.repetitionPenalty());
        }
        if (params.minTokens() > 0) {
            body.put("min_tokens", params.minTokens());
        }
        if (!params.stopTokenIds().isEmpty()) {
            params.stopTokenIds().forEach(body.putArray("stop_token_ids")::add);
        }
        if (params.ignoreEos()) {
            body.put("ignore_eos", true);
        }
        return body;
    }

    /**
     * The prompt as the server should read it: control tokens written out (the chat template's markers), and without
     * the BOS the tokenizer added, which the server adds itself as its model wants (a template that starts with the
     * BOS token, as SmolLM2's starts with {@code <|im_start|>}, keeps it: that one is text).
     */
    String promptText(int[] prompt) {
        int[] ids = tokenizer.addBos() && prompt.length > 0 && prompt[0] == tokenizer.bos()
                ? Arrays.copyOfRange(prompt, 1, prompt.length) : prompt;
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        gguf.close();
    }
}
