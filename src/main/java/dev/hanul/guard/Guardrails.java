package dev.hanul.guard;

import dev.hanul.api.Tenants;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.GenerationGuard;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.RoutedModel;
import dev.hanul.monitoring.GuardrailDecision;
import dev.hanul.monitoring.GuardrailRecord;
import dev.hanul.monitoring.InteractionNote;
import dev.hanul.monitoring.PiiFinder;
import dev.hanul.monitoring.RefusalLog;
import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The guardrails every generation passes, whatever API sent it (see {@link GenerationGuard}), under the tenant's
 * {@link GuardPolicy}:
 * <ul>
 *   <li>input: the user's text (the API's question, else the prompt) is checked for prompt injection and jailbreaks;
 *       BLOCK (and REDACT, which cannot apply to an attack) refuse it, FLAG records it;</li>
 *   <li>personal data: with REDACT the prompt the model reads, the stored question and the logs carry placeholders
 *       ({@link PiiVault}), the answer streamed back to this user gets the values restored, and personal data the
 *       model writes itself is redacted from the stream ({@link OutputRedactor});</li>
 *   <li>output: the answer is checked for toxicity every {@code every} characters and at its end; BLOCK stops the
 *       stream with an error, FLAG records it.</li>
 * </ul>
 * Each decision is counted ({@link GuardMetrics}) and recorded with the interaction (the note's
 * {@link GuardrailRecord}). Retrieved chunks are screened before the prompt is built, by {@link ContextGuard}.
 */
@Component
public class Guardrails implements GenerationGuard {

    private static final Logger log = LoggerFactory.getLogger(Guardrails.class);

    private final GuardrailProperties properties;
    private final GuardModels models;
    private final GuardMetrics metrics;
    private final ObjectProvider<RefusalLog> refusals;
    private final PiiFinder pii = new PiiFinder();

    Guardrails(GuardrailProperties properties, GuardModels models, GuardMetrics metrics,
            ObjectProvider<RefusalLog> refusals) {
        this.properties = properties;
        this.models = models;
        this.metrics = metrics;
        this.refusals = refusals;
    }

    @Override
    public Guarded check(GenerationRequest request, RoutedModel model, ContextView context) {
        InteractionNote note = InteractionNote.from(context);
        String tenant = note == null ? Tenants.DEFAULT : note.tenant();
        GuardPolicy policy = properties.policyFor(tenant);
        Context written = Context.of(context);
        if (policy.input() == GuardAction.OFF && policy.pii() == GuardAction.OFF
                && policy.toxicity() == GuardAction.OFF) {
            return new Guarded(request, written, UnaryOperator.identity());
        }
        GuardrailRecord record = note != null && note.guardrails() != null ? note.guardrails() : new GuardrailRecord();
        Tokenizer tokenizer = model.tokenizer();
        String question = note != null && note.question() != null ? note.question()
                : tokenizer.decode(request.prompt(), false);
        try {
            checkInput(tenant, policy.input(), UserTurn.of(question), record);
        } catch (InferenceFailure.Blocked refused) {
            RefusalLog refusalLog = refusals.getIfAvailable();
            if (note != null && refusalLog != null) {
                refusalLog.refused(request.id(), note.guarded(note.question(), record), model.name(),
                        model.version());
            }
            throw refused;
        }

        GenerationRequest sent = request;
        String storedQuestion = note == null ? null : note.question();
        PiiVault vault = new PiiVault(pii);
        if (policy.pii() != GuardAction.OFF) {
            var found = pii.find(question);
            boolean redact = policy.pii() == GuardAction.REDACT;
            if (redact) {
                sent = redacted(request, tokenizer, vault);
                storedQuestion = vault.redact(storedQuestion);
            }
            if (!found.isEmpty() || !vault.isEmpty()) {
                var kinds = new TreeSet<String>();
                found.forEach(f -> kinds.add(f.kind().name()));
                vault.counts().keySet().forEach(k -> kinds.add(k.name()));
                decide(tenant, record, new GuardrailDecision("input", "pii", redact ? "redact" : "flag",
                        Math.max(found.size(), vault.counts().values().stream().mapToInt(Integer::intValue).sum()),
                        String.join(",", kinds)));
            }
        }
        if (note != null) {
            written = written.put(InteractionNote.class, note.guarded(storedQuestion, record));
        }
        GuardAction toxicity = policy.toxicity();
        // Log probabilities carry each token's own text, which a redacted answer would no longer line up with (and
        // which would still hold the value): such a request's answer is not redacted, as the README says.
        boolean redactOutput = policy.pii() == GuardAction.REDACT && request.params().logprobs() == null;
        return new Guarded(sent, written, events -> output(events, tenant, toxicity, redactOutput, vault, record));
    }

    private void checkInput(String tenant, GuardAction action, String question, GuardrailRecord record) {
        if (action == GuardAction.OFF || question == null || question.isBlank()) {
            return;
        }
        InjectionDetector.Verdict verdict = models.injection().check(question);
        if (!verdict.attack()) {
            return;
        }
        boolean block = action != GuardAction.FLAG;
        decide(tenant, record, new GuardrailDecision("input", "injection", block ? "block" : "flag",
                verdict.score(), describe(verdict)));
        if (block) {
            log.info("Guardrails: refused a request of tenant {} as prompt injection ({})", tenant,
                    describe(verdict));
            throw new InferenceFailure.Blocked("input", "injection", ("The request was refused by the "
                    + "prompt-injection guardrail (%s): it reads as an attempt to override the assistant's "
                    + "instructions or safety rules. Rephrase the request; if this is a mistake, an administrator "
                    + "can set the tenant's policy under hanul.guardrails.tenants.%s.input (flag records without "
                    + "refusing).").formatted(describe(verdict), tenant));
        }
    }

    private String describe(InjectionDetector.Verdict verdict) {
        var injection = properties.injection();
        return verdict.probability() == null
                ? "similarity to a known attack %.2f, threshold %.2f".formatted(verdict.similarity(),
                        injection.similarityThreshold())
                : "classifier %.2f (threshold %.2f), similarity to a known attack %.2f (threshold %.2f)".formatted(
                        verdict.probability(), injection.threshold(), verdict.similarity(),
                        injection.similarityThreshold());
    }

    /** The prompt with personal data replaced; the same request when there is none. */
    private static GenerationRequest redacted(GenerationRequest request, Tokenizer tokenizer, PiiVault vault) {
        int[] prompt = request.prompt();
        boolean bos = prompt.length > 0 && tokenizer.bos() >= 0 && prompt[0] == tokenizer.bos();
        String text = tokenizer.decode(bos ? Arrays.copyOfRange(prompt, 1, prompt.length) : prompt, true);
        String redacted = vault.redact(text);
        if (redacted.equals(text)) {
            return request;
        }
        int[] ids = tokenizer.encode(redacted, true);
        int[] sent = ids;
        if (bos) {
            sent = new int[ids.length + 1];
            sent[0] = tokenizer.bos();
            System.arraycopy(ids, 0, sent, 1, ids.length);
        }
        return new GenerationRequest(request.id(), sent, request.params());
    }

    /**
     * The answer as the user gets it: personal data the model wrote redacted (policy REDACT), the user's own
     * placeholders restored, toxicity checked as it grows.
     */
    private Flux<GenerationEvent> output(Flux<GenerationEvent> events, String tenant, GuardAction toxicity,
            boolean redact, PiiVault vault, GuardrailRecord record) {
        ToxicityClassifier classifier = toxicity == GuardAction.OFF ? null : models.toxicity();
        if (vault.isEmpty() && classifier == null && !redact) {
            return events;
        }
        var samples = new HashMap<Integer, Answer>();
        return events.handle((GenerationEvent event, SynchronousSink<GenerationEvent> sink) -> {
            Answer answer = samples.computeIfAbsent(event.index(), i -> new Answer(new PlaceholderStream(vault),
                    redact ? new OutputRedactor(pii) : null));
            switch (event) {
                case GenerationEvent.Token token -> {
                    answer.raw.append(token.text());
                    if (classifier != null && answer.raw.length() - answer.checkedAt >= properties.toxicity().every()
                            && toxic(classifier, answer, tenant, toxicity, record, false, sink)) {
                        return;
                    }
                    String text = answer.redactor == null ? token.text() : answer.redactor.accept(token.text());
                    sink.next(new GenerationEvent.Token(token.index(), token.token(), answer.restorer.accept(text),
                            token.logprobs()));
                }
                case GenerationEvent.Finished finished -> {
                    answer.raw.append(finished.text());
                    if (classifier != null && toxic(classifier, answer, tenant, toxicity, record, true, sink)) {
                        return;
                    }
                    String rest = finished.text();
                    if (answer.redactor != null) {
                        rest = answer.redactor.accept(rest) + answer.redactor.flush();
                        if (answer.redactor.redacted() > 0) {
                            decide(tenant, record, new GuardrailDecision("output", "pii", "redact",
                                    answer.redactor.redacted(), answer.redactor.kinds()));
                        }
                    }
                    String text = answer.restorer.accept(rest) + answer.restorer.flush();
                    sink.next(new GenerationEvent.Finished(finished.index(), finished.reason(), text,
                            finished.usage(), finished.message(), finished.stopToken(), finished.stopString(),
                            finished.scheduledNanos()));
                }
            }
        });
    }

    /** One sample's answer so far. */
    private static final class Answer {
        final PlaceholderStream restorer;
        /** Null unless the tenant's PII policy is redact. */
        final OutputRedactor redactor;
        final StringBuilder raw = new StringBuilder();
        int checkedAt;
        boolean flagged;

        Answer(PlaceholderStream restorer, OutputRedactor redactor) {
            this.restorer = restorer;
            this.redactor = redactor;
        }
    }

    /** @return whether the stream was stopped */
    private boolean toxic(ToxicityClassifier classifier, Answer answer, String tenant, GuardAction action,
            GuardrailRecord record, boolean end, SynchronousSink<GenerationEvent> sink) {
        answer.checkedAt = answer.raw.length();
        if (answer.flagged) {
            return false;
        }
        double score = classifier.score(answer.raw.toString());
        if (score < properties.toxicity().threshold()) {
            return false;
        }
        boolean block = action == GuardAction.BLOCK;
        answer.flagged = true;
        decide(tenant, record, new GuardrailDecision("output", "toxicity", block ? "block" : "flag", score,
                end ? "answer" : "partial answer"));
        if (block) {
            sink.error(new InferenceFailure.Blocked("output", "toxicity", ("The answer was stopped by the toxicity "
                    + "guardrail (score %.2f, threshold %.2f). Rephrase the request; an administrator can set the "
                    + "tenant's policy under hanul.guardrails.tenants.%s.toxicity.").formatted(score,
                    properties.toxicity().threshold(), tenant)));
            return true;
        }
        return false;
    }

    void decide(String tenant, GuardrailRecord record, GuardrailDecision decision) {
        record.add(decision);
        metrics.count(tenant, decision);
    }
}
