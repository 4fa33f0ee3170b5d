package dev.hanul.openai;

import dev.hanul.engine.GenerationEvent;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The engine's finish reasons in OpenAI's words; an engine failure becomes a 500 instead of a reason. */
final class FinishReasons {

    private FinishReasons() {
    }

    static String of(GenerationEvent.Finished finished) {
        return switch (finished.reason()) {
            case STOP -> "stop";
            case LENGTH -> "length";
            // vLLM's word for a request that was aborted before it finished.
            case CANCELLED -> "abort";
            case ERROR -> throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR,
                    "The engine failed while generating: " + finished.message());
        };
    }
}
