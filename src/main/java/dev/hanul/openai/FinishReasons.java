package dev.hanul.openai;

import dev.hanul.engine.GenerationEvent;
import java.util.List;

/** How a choice ended, in OpenAI's words (finish_reason) and vLLM's (stop_reason). */
final class FinishReasons {

    private FinishReasons() {
    }

    static String of(GenerationEvent.Finished finished) {
        return switch (finished.reason()) {
            case STOP -> "stop";
            case LENGTH -> "length";
            // vLLM's word for a request that was aborted before it finished.
            case CANCELLED -> "abort";
            case ERROR -> throw new IllegalStateException("The inference façade reports engine errors as failures, "
                    + "never as a finished choice: " + finished.message());
        };
    }

    /**
     * vLLM's stop_reason: the stop string that ended the choice, or the token id when one of the request's
     * stop_token_ids did; null otherwise, the model's own end-of-sequence tokens included (vLLM reports those only
     * through finish_reason "stop").
     */
    static Object stopReason(GenerationEvent.Finished finished, List<Integer> stopTokenIds) {
        if (finished.stopString() != null) {
            return finished.stopString();
        }
        return finished.stopToken() != null && stopTokenIds.contains(finished.stopToken()) ? finished.stopToken()
                : null;
    }
}
