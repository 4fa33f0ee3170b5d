package dev.hanul.prompts;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.hanul.api.Caller;
import dev.hanul.chat.Citation;
import dev.hanul.chat.PromptTemplate;
import dev.hanul.chat.PromptTurn;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.Inference;
import dev.hanul.inference.RoutedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/prompts}: the prompt registry over HTTP. Versions are created, never changed; labels move (that is the
 * deployment of a prompt) and keep their history, so a rollback is a move back. {@code render} shows the exact prompt
 * and token count a model would see for given variables.
 */
@RestController
@RequestMapping("/api/prompts")
class PromptController {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final PromptRegistry registry;
    private final Inference inference;

    PromptController(PromptRegistry registry, Inference inference) {
        this.registry = registry;
        this.inference = inference;
    }

    @GetMapping
    List<PromptView> list() {
        return registry.list();
    }

    @GetMapping("/{name}")
    PromptView get(@PathVariable String name) {
        return registry.get(name).orElseThrow(() -> notFound(name));
    }

    @GetMapping("/{name}/versions/{version}")
    PromptVersionView version(@PathVariable String name, @PathVariable int version) {
        return registry.version(name, version).map(PromptVersionView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Prompt '%s' has no version %d; "
                        .formatted(name, version) + "GET /api/prompts/" + name + " lists its versions."));
    }

    /** The template's text, optional system part and a commit message: stored as the next version. */
    record NewVersion(String text, String system, String message) {
    }

    @PostMapping("/{name}/versions")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<PromptVersionView> create(@PathVariable String name, @RequestBody NewVersion body,
            ServerWebExchange exchange) {
        if (!NAME.matcher(name).matches()) {
            throw badRequest("The prompt name '" + name + "' is not valid: use 1 to 128 lower-case letters, digits "
                    + "and '-', starting with a letter or digit.");
        }
        if (body.text() == null || body.text().isBlank()) {
            throw badRequest("text is missing: send the Jinja template of the user's turn (variables: question, "
                    + "sources).");
        }
        checkRenders(name, body);
        return Caller.name(exchange).flatMap(author -> registry.create(name, body.text(), blankToNull(body.system()),
                body.message(), author)).map(PromptVersionView::of);
    }

    /**
     * Where a label should point: one {@code version}, or a {@code split} of versions by weight (an A/B test, sticky
     * per conversation).
     */
    record LabelMove(Integer version, Map<String, Integer> split) {
    }

    @PutMapping("/{name}/labels/{label}")
    Mono<PromptLabelChange> moveLabel(@PathVariable String name, @PathVariable String label,
            @RequestBody LabelMove body, ServerWebExchange exchange) {
        PromptView prompt = get(name);
        if (!LABEL.matcher(label).matches()) {
            throw badRequest("The label '" + label + "' is not valid: use 1 to 64 lower-case letters, digits, '_' "
                    + "and '-', starting with a letter.");
        }
        LabelTargets targets = targets(body);
        for (int version : targets.weights().keySet()) {
            if (prompt.versions().stream().noneMatch(v -> v.version() == version)) {
                throw badRequest("Prompt '%s' has no version %d; its versions are %s.".formatted(name, version,
                        prompt.versions().stream().map(PromptView.Version::version).toList()));
            }
        }
        return Caller.name(exchange).flatMap(author -> registry.moveLabel(name, label, targets, author));
    }

    /** Moves the label back to where it pointed before its last move. */
    @PostMapping("/{name}/labels/{label}/rollback")
    Mono<PromptLabelChange> rollback(@PathVariable String name, @PathVariable String label,
            ServerWebExchange exchange) {
        get(name);
        return registry.history(name, label).next()
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Prompt '%s' has no "
                        .formatted(name) + "label '" + label + "'.")))
                .flatMap(last -> {
                    if (last.fromTargets() == null) {
                        return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT, ("The label '%s' has never "
                                + "moved, so there is nothing to roll back to; move it with PUT instead.")
                                .formatted(label)));
                    }
                    return Caller.name(exchange).flatMap(author -> registry.moveLabel(name, label,
                            LabelTargets.parse(last.fromTargets()), author));
                });
    }

    @GetMapping("/{name}/labels/{label}/history")
    Flux<PromptLabelChange> history(@PathVariable String name, @PathVariable String label) {
        get(name);
        return registry.history(name, label);
    }

    /** A unified diff of two versions: the user's turn, then the system part. */
    @GetMapping("/{name}/diff")
    Map<String, String> diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        PromptVersionView a = version(name, from);
        PromptVersionView b = version(name, to);
        return Map.of("text", unified(name + "@" + from, name + "@" + to, a.text(), b.text()),
                "system", unified(name + "@" + from + ".system", name + "@" + to + ".system", a.system(), b.system()));
    }

    /**
     * What to render: a version or a label (default: the production label), the question and sources, and the model
     * whose chat template and tokenizer count the tokens (default: the default model).
     */
    record RenderRequest(Integer version, String label, String question, List<Source> sources, String model) {

        record Source(String text, String source) {
        }
    }

    /** The prompt as the model reads it, its messages and its length in the model's tokens. */
    record Rendered(String name, int version, String model, List<ChatMessage> messages, String prompt, int tokens) {
    }

    @PostMapping("/{name}/render")
    Rendered render(@PathVariable String name, @RequestBody RenderRequest body) {
        get(name);
        if (body.question() == null || body.question().isBlank()) {
            throw badRequest("question is missing: send the question the template renders.");
        }
        PromptTemplate template = registry.find(body.label() == null ? name : name + "@" + body.label(),
                body.version(), null);
        List<Citation> sources = new ArrayList<>();
        List<RenderRequest.Source> given = body.sources() == null ? List.of() : body.sources();
        for (int i = 0; i < given.size(); i++) {
            RenderRequest.Source source = given.get(i);
            String text = source == null || source.text() == null ? "" : source.text();
            String origin = source == null || source.source() == null ? "source-" + (i + 1) : source.source();
            sources.add(new Citation(i + 1, origin, List.of(), origin, null, 0, null, text));
        }
        PromptTurn turn = template.render(body.question(), sources);
        List<ChatMessage> messages = new ArrayList<>();
        if (turn.system() != null) {
            messages.add(ChatMessage.system(turn.system()));
        }
        messages.add(ChatMessage.user(turn.user()));
        RoutedModel model = inference.route(body.model(), null);
        String prompt = model.chatText(messages);
        return new Rendered(template.name(), template.version(), model.version(), messages, prompt,
                model.encodeChat(messages).length);
    }

    private static LabelTargets targets(LabelMove body) {
        if ((body.version() == null) == (body.split() == null || body.split().isEmpty())) {
            throw badRequest("Send either version (one version) or split ({\"version\": weight, ...}), not both.");
        }
        if (body.version() != null) {
            return LabelTargets.single(body.version());
        }
        var weights = new LinkedHashMap<Integer, Integer>();
        body.split().forEach((version, weight) -> {
            try {
                weights.put(Integer.parseInt(version), weight);
            } catch (NumberFormatException e) {
                throw badRequest("split's keys are version numbers, got '" + version + "'.");
            }
        });
        try {
            return new LabelTargets(weights);
        } catch (IllegalArgumentException e) {
            throw badRequest("split: " + e.getMessage() + ".");
        }
    }

    /** Refuses a template Jinja cannot render with sample variables, naming the part at fault. */
    private static void checkRenders(String name, NewVersion body) {
        var sample = List.of(new Citation(1, "sample", List.of("sample#0"), "sample.txt", null, 0, null,
                "Sample source text."));
        try {
            new PromptTemplate(name, 0, body.text(), null).render("Sample question?", sample);
        } catch (IllegalStateException e) {
            throw badRequest("text does not render: " + e.getMessage());
        }
        if (blankToNull(body.system()) != null) {
            try {
                new PromptTemplate(name, 0, body.text(), body.system()).render("Sample question?", sample);
            } catch (IllegalStateException e) {
                throw badRequest("system does not render: " + e.getMessage());
            }
        }
    }

    private static String unified(String fromName, String toName, String from, String to) {
        List<String> a = from == null ? List.of() : from.lines().toList();
        List<String> b = to == null ? List.of() : to.lines().toList();
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, DiffUtils.diff(a, b), 3));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static ResponseStatusException notFound(String name) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No prompt is named '" + name
                + "'; GET /api/prompts lists them, POST /api/prompts/" + name + "/versions creates it.");
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
