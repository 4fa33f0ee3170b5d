package dev.hanul.inference;

import java.time.Instant;

/**
 * Keeps what a shadow version answered next to what the primary answered for the same request, so a candidate can be
 * judged on real traffic before it gets any. Called once per shadowed request, after both have finished.
 */
public interface ShadowRecorder {

    void record(ShadowResult result);

    /**
     * @param requestId    the primary request's id
     * @param requested    the name the request used (usually an alias)
     * @param primary      the primary version's id ({@code name@version})
     * @param primaryText  what the client got (sample 0)
     * @param primaryEnd   how it ended (a finish reason in lower case, or "cancelled" when the client left)
     * @param shadow       the shadow version's id
     * @param shadowText   what the shadow answered (sample 0), never sent to the client
     * @param shadowEnd    how it ended, or "failed: reason"
     */
    record ShadowResult(String requestId, String requested, Instant at, String primary, String primaryText,
                        String primaryEnd, long primaryMillis, String shadow, String shadowText, String shadowEnd,
                        long shadowMillis) {
    }
}
