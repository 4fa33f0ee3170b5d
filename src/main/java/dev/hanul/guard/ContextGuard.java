package dev.hanul.guard;

import dev.hanul.index.MetadataValue;
import dev.hanul.index.SearchHit;
import dev.hanul.monitoring.GuardrailDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Indirect prompt injection: instructions aimed at the model hidden in documents. At ingestion every chunk is checked
 * and the verdict stored in the index with it ({@value #FLAG} = {@code flagged} or {@code clean}, and
 * {@value #SCORE}), so that searches can filter on it; at retrieval the stored verdict is read (chunks indexed before
 * the guardrail existed are checked then) and the tenant's context policy applies: BLOCK leaves the chunk out of
 * the prompt, REDACT quarantines the offending sentences (replaced by a marker, the rest of the chunk stays), FLAG
 * only records it.
 */
@Component
public class ContextGuard {

    /** Index metadata: {@code flagged} or {@code clean}. */
    public static final String FLAG = "injection";
    /** Index metadata: the detector's score. */
    public static final String SCORE = "injectionScore";
    static final String QUARANTINED = "[instruction removed by the guardrail]";
    private static final int MAX_REDACTIONS = 5;

    /** The chunks a prompt may quote, and what was decided about the others. */
    public record Screened(List<SearchHit> hits, List<GuardrailDecision> decisions) {
    }

    private final GuardrailProperties properties;
    private final GuardModels models;
    private final GuardMetrics metrics;

    ContextGuard(GuardrailProperties properties, GuardModels models, GuardMetrics metrics) {
        this.properties = properties;
        this.models = models;
        this.metrics = metrics;
    }

    /**
     * The metadata each ingested chunk of one document gets (empty when the tenant's context guardrail is off). The
     * function may be called from several threads: a sentence that overlapping chunks repeat is scored once (the
     * same verdicts, less work).
     */
    public Function<String, Map<String, Object>> ingestMetadata(String tenant) {
        if (properties.policyFor(tenant).context() == GuardAction.OFF) {
            return text -> Map.of();
        }
        Map<String, InjectionDetector.Verdict> scored = new ConcurrentHashMap<>();
        return text -> metadata(models.injection().checkDocument(text, scored));
    }

    private static Map<String, Object> metadata(InjectionDetector.Verdict verdict) {
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put(FLAG, verdict.attack() ? "flagged" : "clean");
        metadata.put(SCORE, verdict.score());
        return metadata;
    }

    public Screened screen(String tenant, List<SearchHit> hits) {
        GuardAction action = properties.policyFor(tenant).context();
        if (action == GuardAction.OFF || hits.isEmpty()) {
            return new Screened(hits, List.of());
        }
        var kept = new ArrayList<SearchHit>(hits.size());
        var decisions = new ArrayList<GuardrailDecision>();
        for (SearchHit hit : hits) {
            Double score = flaggedScore(hit);
            if (score == null) {
                kept.add(hit);
                continue;
            }
            GuardrailDecision decision = new GuardrailDecision("context", "injection", switch (action) {
                case BLOCK -> "block";
                case REDACT -> "redact";
                default -> "flag";
            }, score, hit.chunkId());
            decisions.add(decision);
            metrics.count(tenant, decision);
            switch (action) {
                case BLOCK -> {
                }
                case REDACT -> kept.add(quarantined(hit));
                default -> kept.add(hit);
            }
        }
        return new Screened(kept, decisions);
    }

    /** The stored verdict's score when the chunk is flagged (checked now when it has none); null when clean. */
    private Double flaggedScore(SearchHit hit) {
        List<MetadataValue> flag = hit.metadata().get(FLAG);
        if (!flag.isEmpty() && flag.getFirst() instanceof MetadataValue.Keyword keyword) {
            if (!keyword.value().equals("flagged")) {
                return null;
            }
            List<MetadataValue> score = hit.metadata().get(SCORE);
            return !score.isEmpty() && score.getFirst() instanceof MetadataValue.DoubleValue d ? d.value() : 1.0;
        }
        InjectionDetector.Verdict verdict = models.injection().checkDocument(hit.text());
        return verdict.attack() ? verdict.score() : null;
    }

    /** The chunk with its offending sentences replaced by a marker, until the detector passes it. */
    private SearchHit quarantined(SearchHit hit) {
        String text = hit.text();
        for (int i = 0; i < MAX_REDACTIONS; i++) {
            InjectionDetector.Verdict verdict = models.injection().checkDocument(text);
            if (!verdict.attack() || verdict.sentence() == null || !text.contains(verdict.sentence())) {
                break;
            }
            text = text.replace(verdict.sentence(), QUARANTINED);
        }
        return new SearchHit(hit.chunkId(), hit.documentId(), hit.tenant(), text, hit.language(), hit.metadata(),
                hit.score(), hit.textRank(), hit.vectorRank());
    }
}
