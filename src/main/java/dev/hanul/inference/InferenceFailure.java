package dev.hanul.inference;

import java.time.Duration;
import java.util.List;

/**
 * Why the inference façade could not serve a request. Each API maps these to its own wire format (status, body,
 * headers) in one place, so the same failure looks the same on every API in that API's terms.
 */
public abstract sealed class InferenceFailure extends RuntimeException {

    private InferenceFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** How long a client should wait before sending the same request again (Retry-After); null when that won't help. */
    public Duration retryAfter() {
        return null;
    }

    /** The request names a model that is not registered. */
    public static final class ModelNotFound extends InferenceFailure {
        private final String requested;
        private final List<String> available;

        public ModelNotFound(String requested, List<String> available) {
            super("The model '%s' is not served here; use one of %s.".formatted(requested, available), null);
            this.requested = requested;
            this.available = List.copyOf(available);
        }

        public String requested() {
            return requested;
        }

        public List<String> available() {
            return available;
        }
    }

    /** The model is registered but cannot take the request now (downloading, loading, failed, draining, stopped). */
    public static final class ModelNotReady extends InferenceFailure {
        private final String model;
        private final ModelState state;

        public ModelNotReady(String model, ModelState state) {
            super(describe(model, state), null);
            this.model = model;
            this.state = state;
        }

        public String model() {
            return model;
        }

        public ModelState state() {
            return state;
        }

        @Override
        public Duration retryAfter() {
            return switch (state.phase()) {
                case DOWNLOADING, LOADING -> Duration.ofSeconds(5);
                case READY, DRAINING -> Duration.ofSeconds(1);
                case REGISTERED, UNLOADED, FAILED, STOPPED -> null;
            };
        }

        private static String describe(String model, ModelState state) {
            return switch (state.phase()) {
                case DOWNLOADING, LOADING -> "The model %s is not ready yet (%s). Retry in a few seconds; "
                        .formatted(model, state.detail()) + "/actuator/health/readiness answers 200 once it is.";
                case FAILED -> "The model %s could not be loaded: %s. Fix its settings and load it again."
                        .formatted(model, state.detail());
                case READY, DRAINING -> "The model %s is being replaced and takes no new requests (%s); retry, and the "
                        .formatted(model, state.detail()) + "request goes to its successor.";
                case REGISTERED, UNLOADED -> "The model %s is registered but not loaded (%s); load it through "
                        .formatted(model, state.detail()) + "/api/admin/models, or name a version that is ready.";
                case STOPPED -> "The model %s is stopped (%s); retry on another instance or load it again."
                        .formatted(model, state.detail());
            };
        }
    }

    /** The engine's queue is full; the same request may succeed after {@code retryAfter}. */
    public static final class Overloaded extends InferenceFailure {
        private final Duration retryAfter;

        public Overloaded(String detail, Duration retryAfter, Throwable cause) {
            super(detail + " Retry after %d s.".formatted(retryAfter.toSeconds()), cause);
            this.retryAfter = retryAfter;
        }

        @Override
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * A parameter's value cannot be served. The message is written with the API's own parameter names, so it reads
     * right on every API without any rewriting.
     */
    public static final class Rejected extends InferenceFailure {
        private final Parameter parameter;
        private final String path;
        private final Message message;

        /** A message that names parameters the way the API that renders it names them. */
        @FunctionalInterface
        public interface Message {
            String render(Parameter.Names names);
        }

        /** @param parameter the parameter at fault; null when the request as a whole cannot be served */
        public Rejected(Parameter parameter, Message message) {
            this(parameter, "", message);
        }

        /** @param path where inside the parameter's value, such as {@code .year.gte} or {@code [2].role} */
        public Rejected(Parameter parameter, String path, Message message) {
            super(message.render(Enum::name), null);
            this.parameter = parameter;
            this.path = path;
            this.message = message;
        }

        /** "{name} {problem}": the usual shape, such as "temperature must be non-negative, got -1.0." */
        public static Rejected of(Parameter parameter, String problem) {
            return new Rejected(parameter, names -> names.of(parameter) + " " + problem);
        }

        public Parameter parameter() {
            return parameter;
        }

        /** The parameter at fault with the path inside it, in an API's names; null when there is none. */
        public String field(Parameter.Names names) {
            return parameter == null ? null : names.of(parameter) + path;
        }

        public String message(Parameter.Names names) {
            return message.render(names);
        }
    }

    /** The generation ran longer than the request timeout and was cancelled. */
    public static final class TimedOut extends InferenceFailure {
        public TimedOut(Duration timeout) {
            super(("The generation ran longer than hanul.inference.request-timeout (%s) and was cancelled; ask for "
                    + "fewer tokens or raise the setting.").formatted(timeout), null);
        }
    }

    /**
     * A guardrail refused the request (its input) or stopped the answer (its output) under the tenant's policy. The
     * message says which check fired and what to change; it never repeats the text that triggered it.
     */
    public static final class Blocked extends InferenceFailure {
        private final String check;
        private final String stage;

        /**
         * @param stage where it fired: {@code input} or {@code output}
         * @param check which guardrail: {@code injection}, {@code toxicity}
         */
        public Blocked(String stage, String check, String message) {
            super(message, null);
            this.stage = stage;
            this.check = check;
        }

        public String check() {
            return check;
        }

        public String stage() {
            return stage;
        }
    }

    /** The engine failed while generating (a bug or a resource failure, not the request's fault). */
    public static final class GenerationFailed extends InferenceFailure {
        public GenerationFailed(String detail) {
            super("The generation failed: " + detail, null);
        }
    }
}
