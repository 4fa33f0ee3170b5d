package dev.hanul.inference;

import java.util.List;
import org.springframework.stereotype.Component;

/** Routes every request to the one model configured under {@code hanul.model}: by its id, or with no model named. */
@Component
class SingleModelRouter implements ModelRouter {

    private final ServedModel served;

    SingleModelRouter(ServedModel served) {
        this.served = served;
    }

    @Override
    public Route route(String requested, String routingKey) {
        if (requested != null && !requested.equals(served.id())) {
            throw new InferenceFailure.ModelNotFound(requested, names());
        }
        return new Route(served.id(), served, null);
    }

    @Override
    public List<String> names() {
        return List.of(served.id());
    }
}
