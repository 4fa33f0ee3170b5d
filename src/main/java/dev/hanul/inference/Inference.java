package dev.hanul.inference;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The inference façade: the one way the APIs (OpenAI, TGI, native chat) reach a model. It routes a request to a
 * loaded version ({@link ModelRouter}) and hands back a {@link RoutedModel} that encodes prompts, fits budgets, maps
 * sampling and generates, failing only with {@link InferenceFailure}s.
 */
@Service
public class Inference {

    private final ModelRouter router;
    private final Generations generations;
    private final Grammars grammars;

    Inference(ModelRouter router, Generations generations, Grammars grammars) {
        this.router = router;
        this.generations = generations;
        this.grammars = grammars;
    }

    /**
     * @param model      the model as the request names it (an alias, {@code name@version}, a model's name); null
     *                   for the default
     * @param routingKey what keeps related requests on one version of a split alias (a conversation id, a user);
     *                   null to choose per request
     */
    public RoutedModel route(String model, String routingKey) {
        return new RoutedModel(router.route(model, routingKey), generations, grammars);
    }

    /** The names requests may use. */
    public List<String> models() {
        return router.names();
    }

    /** The base model of a LoRA adapter's name; empty for a model or alias. */
    public Optional<String> parentOf(String name) {
        return router.parentOf(name);
    }
}
