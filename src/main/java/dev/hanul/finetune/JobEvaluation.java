package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's evaluation before and after training, as stored with the job and shown in its object (Hanul's addition
 * to OpenAI's fine_tuning.job): the platform's evaluation ({@code /api/eval}) run once on the base version before the
 * first step and once on the adapter after the last, on the same items, each a run of its own that {@code
 * /api/eval/runs/{id}} shows item by item and {@code comparison} compares with a paired test.
 *
 * @param dataset           what was asked for: {@code validation} or an evaluation dataset's id
 * @param evaluationDataset the evaluation dataset the runs score (made from the held-out examples for validation)
 * @param items             its items
 * @param base              the run on the base version, once started
 * @param fineTuned         the run on the adapter, once started
 * @param delta             per metric, the adapter's mean minus the base's, once both runs have ended
 * @param comparison        the request that compares the two runs, once both exist
 */
record JobEvaluation(String dataset, @JsonProperty("max_tokens") int maxTokens,
                     @JsonProperty("evaluation_dataset") String evaluationDataset, Integer items, Side base,
                     @JsonProperty("fine_tuned") Side fineTuned, Map<String, Double> delta, String comparison) {

    static final String VALIDATION = "validation";
    static final int DEFAULT_MAX_TOKENS = 64;

    /**
     * One model's evaluation run.
     *
     * @param status  the run's: queued, running, finished or failed
     * @param failed  items that ended in an error (left out of the means)
     * @param metrics per metric, the mean over the items scored (exact_match and f1 as SQuAD's script computes them)
     */
    record Side(String model, String run, String status, Integer failed, Map<String, Double> metrics,
                String error) {

        static Side started(String model, String run) {
            return new Side(model, run, "queued", null, null, null);
        }

        boolean ended() {
            return "finished".equals(status) || "failed".equals(status);
        }
    }

    static JobEvaluation requested(String dataset, int maxTokens) {
        return new JobEvaluation(dataset, maxTokens, null, null, null, null, null, null);
    }

    boolean onValidation() {
        return VALIDATION.equals(dataset);
    }

    JobEvaluation withDataset(String id, int count) {
        return new JobEvaluation(dataset, maxTokens, id, count, base, fineTuned, delta, comparison);
    }

    JobEvaluation withBase(Side side) {
        return new JobEvaluation(dataset, maxTokens, evaluationDataset, items, side, fineTuned, delta, comparison);
    }

    JobEvaluation withFineTuned(Side side) {
        Map<String, Double> difference = null;
        if (base != null && base.metrics() != null && side.metrics() != null) {
            difference = new LinkedHashMap<>();
            for (var metric : side.metrics().entrySet()) {
                Double before = base.metrics().get(metric.getKey());
                if (before != null) {
                    difference.put(metric.getKey(), metric.getValue() - before);
                }
            }
        }
        String compare = base == null ? null : "/api/eval/compare?runs=" + base.run() + "," + side.run();
        return new JobEvaluation(dataset, maxTokens, evaluationDataset, items, base, side, difference, compare);
    }
}
