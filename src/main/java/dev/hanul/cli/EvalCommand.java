package dev.hanul.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code hanul eval}: datasets, runs and comparisons on a running service ({@code /api/eval}). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate retrieval and answers on a dataset, and compare runs with significance tests.",
        subcommands = {EvalCommand.Dataset.class, EvalCommand.Run.class, EvalCommand.Compare.class,
                EvalCommand.Results.class})
final class EvalCommand {

    @Command(name = "dataset", mixinStandardHelpOptions = true,
            description = "Upload questions: a JSONL file, or a BEIR folder (corpus.jsonl, queries.jsonl, "
                    + "qrels/test.tsv or qrels.tsv).")
    static final class Dataset implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Option(names = "--name", required = true, description = "The dataset's name.")
        String name;
        @Option(names = "--tenant", defaultValue = "default", description = "Where the corpus is indexed.")
        String tenant;
        @Option(names = "--jsonl", description = "Questions, one JSON object a line.")
        Path jsonl;
        @Option(names = "--beir", description = "A BEIR dataset folder.")
        Path beir;
        @Option(names = "--ingest-corpus", description = "Also ingest the BEIR corpus into the tenant first.")
        boolean ingestCorpus;

        @Override
        public Integer call() throws InterruptedException {
            ServiceClient client = service.client();
            Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "tenant", tenant));
            if (jsonl != null) {
                body.put("jsonl", ServiceClient.fileText(jsonl));
            } else if (beir != null) {
                body.put("queries", ServiceClient.fileText(beir.resolve("queries.jsonl")));
                Path qrels = Files.exists(beir.resolve("qrels/test.tsv")) ? beir.resolve("qrels/test.tsv")
                        : beir.resolve("qrels.tsv");
                body.put("qrels", ServiceClient.fileText(qrels));
                if (ingestCorpus) {
                    ingest(client, beir.resolve("corpus.jsonl"));
                }
            } else {
                throw new IllegalArgumentException("Give --jsonl FILE or --beir FOLDER.");
            }
            JsonNode dataset = client.post("/api/eval/datasets", body);
            System.out.printf("dataset %s: %d questions (%s)%n", dataset.get("id").asString(),
                    dataset.get("itemCount").asInt(), dataset.get("format").asString());
            return 0;
        }

        /** BEIR's corpus as text documents whose ids are the corpus ids, so the qrels match them. */
        private void ingest(ServiceClient client, Path corpus) throws InterruptedException {
            JsonMapper json = JsonMapper.builder().build();
            List<Map<String, Object>> documents = new ArrayList<>();
            for (String line : ServiceClient.fileText(corpus).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode doc = json.readTree(line);
                    String title = doc.path("title").asString("");
                    documents.add(Map.of("id", doc.get("_id").asString(), "source",
                            title.isBlank() ? doc.get("_id").asString() : title,
                            "text", title.isBlank() ? doc.get("text").asString()
                                    : title + "\n\n" + doc.get("text").asString()));
                }
            }
            ServiceClient inTenant = client.tenant(tenant);
            JsonNode job = inTenant.post("/api/ingest/text", Map.of("documents", documents));
            String id = job.get("jobId").asString();
            while (true) {
                JsonNode status = inTenant.get("/api/ingest/jobs/" + id);
                if (status.hasNonNull("finishedAt")) {
                    System.out.printf("corpus: %d documents, job %s %s%n", documents.size(), id,
                            status.get("status").asString());
                    return;
                }
                Thread.sleep(Duration.ofSeconds(1));
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a dataset under one configuration; with --wait, follow it and print the means.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Option(names = "--dataset", required = true, description = "The dataset's id.")
        String dataset;
        @Option(names = "--name", description = "The run's name.")
        String name;
        @Option(names = "--model", description = "An alias or name@version (default: the default model).")
        String model;
        @Option(names = "--template", description = "A prompt template, or name@label.")
        String template;
        @Option(names = "--template-version", description = "The template's version.")
        Integer templateVersion;
        @Option(names = "--mode", description = "hybrid, vector or bm25 (default: hybrid).")
        String mode;
        @Option(names = "--top-k", description = "Documents to retrieve (default: 10).")
        Integer topK;
        @Option(names = "--hybrid-weight", description = "Vector weight in hybrid fusion, 0 to 1.")
        Double hybridWeight;
        @Option(names = "--no-generate", description = "Retrieval metrics only.")
        boolean noGenerate;
        @Option(names = "--max-tokens", description = "The answers' limit.")
        Integer maxTokens;
        @Option(names = "--wait", description = "Follow the run until it ends.")
        boolean await;

        @Override
        public Integer call() throws InterruptedException {
            ServiceClient client = service.client();
            Map<String, Object> config = new LinkedHashMap<>();
            put(config, "model", model);
            put(config, "template", template);
            put(config, "templateVersion", templateVersion);
            put(config, "mode", mode == null ? null : mode.toUpperCase(Locale.ROOT));
            put(config, "topK", topK);
            put(config, "hybridWeight", hybridWeight);
            put(config, "generate", noGenerate ? Boolean.FALSE : null);
            put(config, "maxTokens", maxTokens);
            Map<String, Object> body = new LinkedHashMap<>(Map.of("dataset", dataset, "config", config));
            put(body, "name", name);
            String id = client.post("/api/eval/runs", body).get("id").asString();
            System.out.println("run " + id);
            if (!await) {
                return 0;
            }
            while (true) {
                JsonNode view = client.get("/api/eval/runs/" + id);
                String status = view.at("/run/status").asString();
                System.err.printf("\r%s: %d of %d", status, view.at("/run/done").asInt(),
                        view.at("/run/total").asInt());
                if (status.equals("finished") || status.equals("failed")) {
                    System.err.println();
                    System.out.println(ServiceClient.json(view.get("means")));
                    return status.equals("finished") ? 0 : 1;
                }
                Thread.sleep(Duration.ofSeconds(2));
            }
        }

        private static void put(Map<String, Object> map, String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare runs per metric: means, differences from the first, paired randomization p-values.")
    static final class Compare implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run ids, the first being the baseline.")
        List<String> runs;

        @Override
        public Integer call() {
            JsonNode comparison = service.client().get("/api/eval/compare?runs=" + String.join(",", runs));
            System.out.printf("%d items in common%n%-16s", comparison.get("items").asInt(), "metric");
            for (int r = 0; r < runs.size(); r++) {
                System.out.printf(r == 0 ? " %12s" : " %12s %9s %8s", "run " + (r + 1), "Δ", "p");
            }
            System.out.println();
            comparison.get("metrics").properties().forEach(entry -> {
                JsonNode metric = entry.getValue();
                System.out.printf("%-16s", entry.getKey());
                for (int r = 0; r < runs.size(); r++) {
                    System.out.printf(" %12.4f", number(metric.get("means").get(r)));
                    if (r > 0) {
                        System.out.printf(" %+9.4f %8.4f", number(metric.get("differences").get(r - 1)),
                                number(metric.get("pValues").get(r - 1)));
                    }
                }
                System.out.println();
            });
            return 0;
        }
    }

    /** A number as JSON writes it, NaN (a mean over no items) included. */
    private static double number(JsonNode value) {
        return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString());
    }

    @Command(name = "results", mixinStandardHelpOptions = true, description = "A run's per-item results.")
    static final class Results implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(paramLabel = "RUN", description = "The run's id.")
        String run;
        @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            System.out.print(service.client().getText("/api/eval/runs/" + run + "/results?format=" + format));
            return 0;
        }
    }
}
