package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Guardrails around every generation the façade runs ({@link RoutedModel#generate(GenerationRequest,
 * UnaryOperator)}), whatever API it came from: the guard sees the request and what the API put in the context
 * (tenant, question), may refuse it ({@link InferenceFailure.Blocked}, thrown at once so the API answers with its
 * own error status before any of a stream is sent), rewrite its prompt, add to the context, and wrap the events
 * that go back to the client. At most one bean of this type.
 */
public interface GenerationGuard {

    /**
     * @param context what the API wrote into the generation's context
     * @throws InferenceFailure.Blocked when a guardrail refuses the request
     */
    Guarded check(GenerationRequest request, RoutedModel model, ContextView context);

    /**
     * @param request the request to run (the same one, or one with a rewritten prompt)
     * @param context the context to run it with (observers read it)
     * @param events  what happens to the events between the engine's observers and the client
     */
    record Guarded(GenerationRequest request, Context context, UnaryOperator<Flux<GenerationEvent>> events) {
    }
}
