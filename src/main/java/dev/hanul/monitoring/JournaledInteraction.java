package dev.hanul.monitoring;

import dev.hanul.engine.Usage;
import java.lang.ref.WeakReference;
import java.time.Instant;

/**
 * A finished interaction as the journal holds it ({@link InteractionJournal}): the record without its weak engine
 * reference, which means nothing after a restart.
 */
record JournaledInteraction(String id, String requested, String version, String prompt, Instant at,
                            InteractionNote note, String response, String finishReason, Usage usage, Double ttftMs,
                            double durationMs) {

    static JournaledInteraction of(InteractionLog.Finished finished) {
        InteractionLog.Served request = finished.request();
        return new JournaledInteraction(request.id(), request.requested(), request.version(), request.prompt(),
                request.at(), finished.note(), finished.response(), finished.finishReason(), finished.usage(),
                finished.ttftMs(), finished.durationMs());
    }

    InteractionLog.Finished finished() {
        return new InteractionLog.Finished(new InteractionLog.Served(id, requested, version, prompt, at,
                new WeakReference<>(null)), note, response, finishReason, usage, ttftMs, durationMs);
    }
}
