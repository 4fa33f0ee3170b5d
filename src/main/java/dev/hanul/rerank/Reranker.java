package dev.hanul.rerank;

import dev.hanul.index.SearchHit;
import dev.hanul.index.TextLanguage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The reranking stage: the fused candidates of a search, reordered by a {@link CrossEncoder} that reads the query and
 * each candidate together, and cut to the top k. A reranked hit's score is the cross-encoder's probability that it
 * answers the query (the logistic of its logit, 0 to 1). The service runs without it when the model could not be had;
 * {@link #unavailable()} says why.
 */
public final class Reranker implements AutoCloseable {

    private final CrossEncoder encoder;
    private final String unavailable;
    private final RerankProperties properties;

    private Reranker(CrossEncoder encoder, String unavailable, RerankProperties properties) {
        this.encoder = encoder;
        this.unavailable = unavailable;
        this.properties = properties;
    }

    public static Reranker of(CrossEncoder encoder, RerankProperties properties) {
        return new Reranker(encoder, null, properties);
    }

    /** @param reason why there is no model, in words, for the log and for requests that ask for reranking */
    public static Reranker without(String reason, RerankProperties properties) {
        return new Reranker(null, reason, properties);
    }

    /** The model's name, or empty when the service runs without a reranker. */
    public Optional<String> model() {
        return encoder == null ? Optional.empty() : Optional.of(CrossEncoder.ID);
    }

    /** Why there is no reranker; empty when there is one. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * Whether a search is reranked: as the request says, else as the settings say (Korean queries only with
     * {@code hanul.rerank.korean}), and never without the model.
     *
     * @param requested the request's choice; null for the settings'
     */
    public boolean applies(String query, Boolean requested) {
        if (encoder == null) {
            return false;
        }
        if (requested != null) {
            return requested;
        }
        return properties.enabled() && (properties.korean() || TextLanguage.detect(query) != TextLanguage.KOREAN);
    }

    /** How many candidates to rerank for {@code topK} hits: the request's number or the setting, and at least k. */
    public int candidates(Integer requested, int topK) {
        return Math.max(topK, requested != null ? requested : properties.candidates());
    }

    /** The candidates in the reranker's order, the best {@code topK}, each scored by the reranker. */
    public List<SearchHit> rerank(String query, List<SearchHit> candidates, int topK) {
        if (encoder == null) {
            throw new IllegalStateException("No reranker: " + unavailable);
        }
        var scored = new ArrayList<SearchHit>(candidates.size());
        for (SearchHit hit : candidates) {
            double probability = 1 / (1 + Math.exp(-encoder.score(query, hit.text())));
            scored.add(new SearchHit(hit.chunkId(), hit.documentId(), hit.tenant(), hit.text(), hit.language(),
                    hit.metadata(), probability, hit.textRank(), hit.vectorRank()));
        }
        // Stable: candidates the model cannot tell apart keep the fused order.
        scored.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return List.copyOf(scored.subList(0, Math.min(topK, scored.size())));
    }

    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
        }
    }
}
