package dev.hanul.cli;

import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.sampling.SamplingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code hanul bench qa}: answer quality of a model on a SQuAD-style set with the gold passage given (optionally
 * among distractor passages), per prompt variant: exact match, F1 and "answer contained", greedy decoding. It
 * measures what a RAG answer can be at best when retrieval has done its part.
 */
@Command(name = "qa", mixinStandardHelpOptions = true,
        description = "Answer quality (SQuAD EM/F1, answer contained) of a model per prompt variant on a QA set with"
                + " the gold passage given; greedy decoding. Prints a Markdown table.")
final class QaBenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--set", paramLabel = "FILE", defaultValue = "docs/qa/qa-set.jsonl",
            description = "JSON lines with id, title, context, question, answers (default: ${DEFAULT-VALUE}).")
    Path set;

    @Option(names = "--prompts", split = ",", paramLabel = "NAME",
            description = "Prompt variants (default: all): ${COMPLETION-CANDIDATES}.",
            completionCandidates = Labels.class)
    List<String> prompts;

    @Option(names = "--distractors", split = ",", defaultValue = "0", paramLabel = "N",
            description = "Other passages put next to the gold one, e.g. 0,3 (default: ${DEFAULT-VALUE}).")
    List<Integer> distractors;

    @Option(names = "--max-tokens", defaultValue = "48", description = "Answer length cap (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--concurrency", defaultValue = "8",
            description = "Questions decoded together in one batch (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--answers", paramLabel = "FILE", description = "Also write every answer and its scores here.")
    Path answers;

    @Spec
    CommandSpec spec;

    record Question(String id, String title, String context, String question, List<String> answers) {
    }

    record Answered(Question question, String prompt, int distractors, String answer, QaScore score,
                    int completionTokens) {
    }

    @Override
    public Integer call() throws Exception {
        List<Question> questions = read(set);
        List<QaPrompt> variants = prompts == null ? List.of(QaPrompt.values())
                : prompts.stream().map(QaPrompt::named).toList();
        PrintWriter out = spec.commandLine().getOut();
        List<Answered> all = new ArrayList<>();
        try (LoadedModel loaded = modelOptions.open(); InferenceEngine engine = modelOptions.engine(loaded)) {
            out.printf("QA on %s (%d questions), model %s, greedy, at most %d tokens%n%n", set, questions.size(),
                    modelOptions.file().getFileName(), maxTokens);
            out.println("| prompt | passages | EM | F1 | contains | answer tokens (mean) | s/question |");
            out.println("|---|---|---|---|---|---|---|");
            out.flush();
            for (int n : distractors) {
                for (QaPrompt variant : variants) {
                    long started = System.nanoTime();
                    List<Answered> run = answerAll(loaded, engine, questions, variant, n);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    all.addAll(run);
                    out.printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f |%n", variant.label(),
                            n == 0 ? "gold only" : "gold + " + n, mean(run, a -> a.score().exactMatch()) * 100,
                            mean(run, a -> a.score().f1()) * 100, mean(run, a -> a.score().contains()) * 100,
                            mean(run, a -> a.completionTokens()), seconds / run.size());
                    out.flush();
                }
            }
        }
        if (answers != null) {
            writeAnswers(all);
        }
        return 0;
    }

    private List<Answered> answerAll(LoadedModel loaded, InferenceEngine engine, List<Question> questions,
                                     QaPrompt variant, int distractorCount) throws Exception {
        SamplingParams greedy = SamplingParams.GREEDY.withMaxTokens(maxTokens);
        Semaphore slots = new Semaphore(concurrency);
        List<Future<Answered>> pending = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < questions.size(); i++) {
                Question question = questions.get(i);
                List<Map.Entry<String, String>> passages = passages(questions, question, i, distractorCount);
                String prompt = loaded.chatTemplate().render(
                        variant.messages(QaPrompt.numbered(passages), question.question()), true);
                pending.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        TerminalStream.Outcome outcome = TerminalStream.run(engine,
                                loaded.tokenizer().encodePrompt(prompt), greedy, new PrintWriter(Writer.nullWriter()));
                        String answer = outcome.text().strip();
                        return new Answered(question, variant.label(), distractorCount, answer,
                                QaScore.of(answer, question.answers()), outcome.usage().completionTokens());
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Answered> answered = new ArrayList<>();
            for (Future<Answered> future : pending) {
                answered.add(future.get());
            }
            return answered;
        }
    }

    /**
     * The gold passage and {@code count} passages of other titles, the gold one at a position that moves with the
     * question (so no variant is measured with the answer always first).
     */
    private static List<Map.Entry<String, String>> passages(List<Question> questions, Question gold, int index,
                                                           int count) {
        Map<String, String> others = new LinkedHashMap<>();
        for (int step = 1; others.size() < count && step < questions.size(); step++) {
            Question other = questions.get((index + step * 7) % questions.size());
            if (!other.title().equals(gold.title())) {
                others.putIfAbsent(other.title(), other.context());
            }
        }
        List<Map.Entry<String, String>> passages = new ArrayList<>();
        others.forEach((title, text) -> passages.add(new SimpleEntry<>(title, text)));
        passages.add(index % (passages.size() + 1), new SimpleEntry<>(gold.title(), gold.context()));
        return passages;
    }

    private static double mean(List<Answered> answered, java.util.function.ToDoubleFunction<Answered> value) {
        return answered.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static List<Question> read(Path file) {
        JsonMapper json = JsonMapper.builder().build();
        List<Question> questions = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                List<String> golds = new ArrayList<>();
                node.get("answers").forEach(answer -> golds.add(answer.asString()));
                questions.add(new Question(node.get("id").asString(), node.get("title").asString(),
                        node.get("context").asString(), node.get("question").asString(), golds));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the QA set " + file + ": " + e.getMessage(), e);
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("The QA set " + file + " has no questions");
        }
        return questions;
    }

    private void writeAnswers(List<Answered> all) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<String> lines = new ArrayList<>();
        for (Answered a : all) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", a.question().id());
            line.put("prompt", a.prompt());
            line.put("distractors", a.distractors());
            line.put("question", a.question().question());
            line.put("gold", a.question().answers());
            line.put("answer", a.answer());
            line.put("em", a.score().exactMatch());
            line.put("f1", Math.round(a.score().f1() * 1000) / 1000.0);
            line.put("contains", a.score().contains());
            lines.add(json.writeValueAsString(line));
        }
        Files.write(answers, lines);
    }

    static final class Labels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return QaPrompt.labels().iterator();
        }
    }
}
