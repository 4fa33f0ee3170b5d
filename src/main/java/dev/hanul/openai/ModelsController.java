package dev.hanul.openai;

import dev.hanul.embedding.Embedder;
import dev.hanul.inference.Inference;
import dev.hanul.inference.InferenceFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: the generation models by every name requests may use ({@code /v1/chat/completions},
 * {@code /v1/completions}), the
 * {@code rag} alias (chat answered from the documents of the X-Tenant-Id header's tenant, so clients that only let
 * users pick a model can pick RAG) and the embedding model ({@code /v1/embeddings}). All are listed while the
 * generation model still loads: the list says what the service serves, readiness says when. LoRA adapters are listed
 * by their names with {@code parent}, the model they run on (vLLM's shape). Tenants are not listed one by one;
 * {@code GET /v1/models/rag:<tenant>} answers for any valid tenant name. A generation model's card has vLLM's
 * {@code max_model_len} (the window of the version it routes to now) and what it can be asked for.
 */
@RestController
class ModelsController {

    private final Inference inference;
    private final long started = Instant.now().getEpochSecond();

    private final Embedder embedder;

    ModelsController(Inference inference, Embedder embedder) {
        this.inference = inference;
        this.embedder = embedder;
    }

    @GetMapping("/v1/models")
    ModelList models() {
        return ModelList.of(cards());
    }

    @GetMapping("/v1/models/{id}")
    ModelCard model(@PathVariable String id) {
        if (id.startsWith(RagTarget.ALIAS + ":")) {
            RagTarget.of(id, null, null); // a 400 naming model when the tenant name is not valid
            return ModelCard.of(id, started);
        }
        return cards().stream().filter(card -> card.id().equals(id)).findFirst()
                .orElseThrow(() -> OpenAiException.modelNotFound(id));
    }

    private List<ModelCard> cards() {
        List<ModelCard> cards = new ArrayList<>();
        inference.models().forEach(name -> cards.add(inference.parentOf(name)
                .map(parent -> ModelCard.adapter(name, parent, started, contextLength(name)))
                .orElseGet(() -> ModelCard.of(name, started, contextLength(name), ModelCard.GENERATION))));
        cards.add(ModelCard.of(RagTarget.ALIAS, started, null, List.of("chat", "completion", "rag")));
        cards.add(ModelCard.of(embedder.id(), started, null, List.of("embedding")));
        return cards;
    }

    /** The window of the version the name routes to now; null while none is ready. */
    private Integer contextLength(String name) {
        try {
            return inference.route(name, null).window();
        } catch (InferenceFailure e) {
            return null;
        }
    }
}
