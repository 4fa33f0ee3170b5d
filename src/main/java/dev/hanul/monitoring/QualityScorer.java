package dev.hanul.monitoring;

import java.util.Map;

/**
 * Scores one finished interaction on the interaction log's writer thread, never on the request path. Each score is
 * stored with the record under its name, and a scorer may also feed distributions (metrics, drift).
 */
interface QualityScorer {

    /** @return scores by name; empty when this scorer has nothing to say about the interaction */
    Map<String, Double> score(InteractionLog.Finished interaction);
}
