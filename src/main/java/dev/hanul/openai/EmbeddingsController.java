package dev.hanul.openai;

import dev.hanul.embedding.Embedder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/embeddings} with the service's own embedding model (the one ingestion and search use), so clients
 * can embed queries or texts exactly as the index does.
 */
@RestController
class EmbeddingsController {

    /** OpenAI's limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private final Embedder embedder;

    EmbeddingsController(Embedder embedder) {
        this.embedder = embedder;
    }

    @PostMapping(path = "/v1/embeddings", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<EmbeddingList> embed(@RequestBody EmbeddingRequest request) {
        if (request.model() != null && !request.model().equals(embedder.id())) {
            throw OpenAiException.modelNotFound(request.model());
        }
        boolean base64 = base64(request.encodingFormat());
        if (request.dimensions() != null && request.dimensions() != embedder.dimension()) {
            throw OpenAiException.invalid("dimensions", "%s embeds in %d dimensions and cannot shorten its vectors; "
                    .formatted(embedder.id(), embedder.dimension()) + "leave dimensions out.");
        }
        List<String> texts = texts(request.input());
        // Counting and embedding are CPU work for up to 2048 texts: off the event loop.
        return Mono.fromCallable(() -> embed(texts, base64)).subscribeOn(Schedulers.boundedElastic());
    }

    private EmbeddingList embed(List<String> texts, boolean base64) {
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            // [CLS] and [SEP] count, as the model sees them; a longer text would be cut silently, so it is refused.
            int count = embedder.countTokens(texts.get(i)) + 2;
            if (count > embedder.maxTokens()) {
                throw OpenAiException.invalid("input", ("This model's maximum context length is %d tokens. However, "
                        + "input[%d] has %d tokens. Please reduce the length of the input.")
                        .formatted(embedder.maxTokens(), i, count));
            }
            tokens += count;
        }
        List<float[]> vectors = embedder.embed(texts);
        var data = new ArrayList<EmbeddingList.Embedding>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new EmbeddingList.Embedding("embedding", i, base64 ? encode(vectors.get(i)) : vectors.get(i)));
        }
        return new EmbeddingList("list", data, embedder.id(), new EmbeddingList.Usage(tokens, tokens));
    }

    private static boolean base64(String format) {
        if (format == null || format.equals("float")) {
            return false;
        }
        if (format.equals("base64")) {
            return true;
        }
        throw OpenAiException.invalid("encoding_format", "encoding_format must be float or base64, got '" + format
                + "'.");
    }

    private static List<String> texts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw OpenAiException.invalid("input", "input is missing; send a string or an array of strings.");
        }
        if (input.isString()) {
            return List.of(input.stringValue());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw OpenAiException.invalid("input", "input must be a string or a non-empty array of strings.");
        }
        if (input.size() > MAX_INPUTS) {
            throw OpenAiException.invalid("input", "input holds %d texts; send at most %d per request."
                    .formatted(input.size(), MAX_INPUTS));
        }
        var texts = new ArrayList<String>(input.size());
        for (JsonNode element : input) {
            if (!element.isString()) {
                throw OpenAiException.invalid("input", "input must hold strings; token ids are not supported, "
                        + "since they would have to be ids of the embedding model's own vocabulary. Send the text.");
            }
            texts.add(element.stringValue());
        }
        return texts;
    }

    private static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
