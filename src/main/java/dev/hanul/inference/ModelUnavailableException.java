package dev.hanul.inference;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A request needs the model while it is not ready: 503, with what the model is doing and when to retry. */
public class ModelUnavailableException extends ResponseStatusException {

    public ModelUnavailableException(ModelState state) {
        super(HttpStatus.SERVICE_UNAVAILABLE, switch (state.phase()) {
            case DOWNLOADING, LOADING -> "The model is not ready yet (" + state.detail()
                    + "). Retry in a few seconds; /actuator/health/readiness answers 200 once it is.";
            case FAILED -> "The model could not be loaded: " + state.detail()
                    + ". Fix the hanul.model.* settings and restart the service.";
            // READY cannot reach here (only a model that is not ready is refused); STOPPED is a shutdown.
            case READY, STOPPED -> "The service is shutting down; retry on another instance.";
        });
    }
}
