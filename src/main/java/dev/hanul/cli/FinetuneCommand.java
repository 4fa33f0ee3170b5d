package dev.hanul.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code hanul finetune}: LoRA fine-tuning jobs on a running service, through its OpenAI-compatible API
 * ({@code /v1/files}, {@code /v1/fine_tuning/jobs}).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a model with LoRA on chat JSONL: create jobs, list, show, follow and cancel them.",
        subcommands = {FinetuneCommand.Create.class, FinetuneCommand.ListJobs.class, FinetuneCommand.Show.class,
                FinetuneCommand.Follow.class, FinetuneCommand.Cancel.class})
final class FinetuneCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Duration POLL = Duration.ofSeconds(1);

    /** The service, the caller and the tenant: what every subcommand takes. */
    static final class Target {
        @Mixin
        ServiceClient.Options service;
        @Option(names = "--tenant", description = "The tenant the files and jobs belong to (X-Tenant-Id).")
        String tenant;
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ServiceClient client() {
            ServiceClient client = service.client();
            return tenant == null ? client : client.tenant(tenant);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Upload a chat JSONL file (OpenAI's fine-tuning format) and start a job on it.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "FILE", description = "Training data: {\"messages\": [...]} a line.")
        Path file;
        @Option(names = "--validation-file", description = "Held-out data (default: a seeded share of FILE).")
        Path validationFile;
        @Option(names = "--model", required = true, description = "The base model: a name, alias or name@version.")
        String model;
        @Option(names = "--epochs", description = "n_epochs (default: the service's).")
        Integer epochs;
        @Option(names = "--batch-size", description = "batch_size (default: the service's).")
        Integer batchSize;
        @Option(names = "--learning-rate-multiplier", description = "Scales the base learning rate.")
        Double learningRateMultiplier;
        @Option(names = "--suffix", description = "Goes into the fine-tuned model's name.")
        String suffix;
        @Option(names = "--seed", description = "Seeds the split, the batch order and the adapter's start.")
        Long seed;
        @Option(names = "--rank", description = "LoRA rank (default 8).")
        Integer rank;
        @Option(names = "--alpha", description = "LoRA alpha (default 2 x rank).")
        Double alpha;
        @Option(names = "--dropout", description = "LoRA dropout (default 0.05).")
        Double dropout;
        @Option(names = "--target-modules", split = ",",
                description = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj (default: all).")
        List<String> targetModules;
        @Option(names = "--evaluate", paramLabel = "DATASET", description = "Evaluate the base model before "
                + "training and the adapter after: 'validation' (the held-out examples) or an evaluation dataset's id.")
        String evaluate;
        @Option(names = "--evaluation-max-tokens", description = "The evaluated answers' limit (default 64).")
        Integer evaluationMaxTokens;
        @Option(names = "--follow", description = "Follow the job's progress until it ends.")
        boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            ServiceClient client = target.client();
            PrintWriter out = target.out();
            String training = upload(client, file, out);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", model);
            body.put("training_file", training);
            if (validationFile != null) {
                body.put("validation_file", upload(client, validationFile, out));
            }
            Map<String, Object> hyperparameters = new LinkedHashMap<>();
            putIfSet(hyperparameters, "n_epochs", epochs);
            putIfSet(hyperparameters, "batch_size", batchSize);
            putIfSet(hyperparameters, "learning_rate_multiplier", learningRateMultiplier);
            body.put("hyperparameters", hyperparameters);
            putIfSet(body, "suffix", suffix);
            putIfSet(body, "seed", seed);
            Map<String, Object> lora = new LinkedHashMap<>();
            putIfSet(lora, "rank", rank);
            putIfSet(lora, "alpha", alpha);
            putIfSet(lora, "dropout", dropout);
            putIfSet(lora, "target_modules", targetModules);
            body.put("lora", lora);
            if (evaluate != null) {
                Map<String, Object> evaluation = new LinkedHashMap<>();
                evaluation.put("dataset", evaluate);
                putIfSet(evaluation, "max_tokens", evaluationMaxTokens);
                body.put("evaluation", evaluation);
            }
            JsonNode job = client.post("/v1/fine_tuning/jobs", body);
            printJob(job, out);
            return follow ? followJob(client, job.get("id").asString(), out) : 0;
        }

        private static String upload(ServiceClient client, Path file, PrintWriter out) {
            JsonNode uploaded = client.postFile("/v1/files", Map.of("purpose", "fine-tune"), "file", file);
            out.printf("%s: %s, dataset %s v%d, %d examples%n", file, uploaded.get("id").asString(),
                    uploaded.get("dataset").asString(), uploaded.get("version").asInt(),
                    uploaded.get("examples").asInt());
            return uploaded.get("id").asString();
        }

        private static void putIfSet(Map<String, Object> map, String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenant's jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        Target target;
        @Option(names = "--limit", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            JsonNode page = target.client().get("/v1/fine_tuning/jobs?limit=" + limit);
            PrintWriter out = target.out();
            out.printf("%-30s %-10s %-24s %-11s %-40s%n", "JOB", "STATUS", "BASE", "STEPS", "FINE-TUNED MODEL");
            for (JsonNode job : page.get("data")) {
                out.printf("%-30s %-10s %-24s %-11s %-40s%n", job.get("id").asString(),
                        job.get("status").asString(), job.get("model").asString(),
                        job.get("completed_steps").asInt() + "/" + job.get("total_steps").asInt(),
                        job.path("fine_tuned_model").asString(""));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A job, its checkpoints and its events.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "JOB")
        String id;

        @Override
        public Integer call() {
            ServiceClient client = target.client();
            PrintWriter out = target.out();
            printJob(client.get("/v1/fine_tuning/jobs/" + ServiceClient.encode(id)), out);
            JsonNode checkpoints = client.get("/v1/fine_tuning/jobs/" + ServiceClient.encode(id)
                    + "/checkpoints?limit=100").get("data");
            for (JsonNode checkpoint : checkpoints) {
                out.printf("checkpoint step %d: train loss %.4f%s%n", checkpoint.get("step_number").asInt(),
                        checkpoint.get("metrics").get("train_loss").asDouble(),
                        checkpoint.get("metrics").has("valid_loss") ? ", validation loss %.4f".formatted(
                                checkpoint.get("metrics").get("valid_loss").asDouble()) : "");
            }
            events(client, id, null).forEach(event -> printEvent(event, out));
            return 0;
        }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true, description = "Print a job's events until it ends.")
    static final class Follow implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "JOB")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            return followJob(target.client(), id, target.out());
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running job.")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        Target target;
        @Parameters(index = "0", paramLabel = "JOB")
        String id;

        @Override
        public Integer call() {
            printJob(target.client().post("/v1/fine_tuning/jobs/" + ServiceClient.encode(id) + "/cancel", null),
                    target.out());
            return 0;
        }
    }

    /** Prints the events as they come; 0 when the job succeeded, 1 otherwise. */
    static int followJob(ServiceClient client, String id, PrintWriter out) throws InterruptedException {
        String last = null;
        while (true) {
            List<JsonNode> fresh = events(client, id, last);
            fresh.forEach(event -> printEvent(event, out));
            if (!fresh.isEmpty()) {
                last = fresh.getLast().get("id").asString();
            }
            JsonNode job = client.get("/v1/fine_tuning/jobs/" + ServiceClient.encode(id));
            String status = job.get("status").asString();
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                events(client, id, last).forEach(event -> printEvent(event, out));
                printJob(job, out);
                return status.equals("succeeded") ? 0 : 1;
            }
            Thread.sleep(POLL);
        }
    }

    /** The job's events after {@code after} (all when null), oldest first. */
    private static List<JsonNode> events(ServiceClient client, String id, String after) {
        List<JsonNode> events = new ArrayList<>();
        JsonNode page = client.get("/v1/fine_tuning/jobs/" + ServiceClient.encode(id) + "/events?limit=1000");
        for (JsonNode event : page.get("data")) {
            if (event.get("id").asString().equals(after)) {
                break;
            }
            events.add(event);
        }
        return events.reversed();
    }

    private static void printEvent(JsonNode event, PrintWriter out) {
        out.printf("%s  %-5s %s%n", TIME.format(Instant.ofEpochSecond(event.get("created_at").asLong())),
                event.get("level").asString(), event.get("message").asString());
    }

    private static void printJob(JsonNode job, PrintWriter out) {
        out.printf("%s: %s, base %s, step %d/%d%s%s%s%n", job.get("id").asString(),
                job.get("status").asString(), job.get("model").asString(), job.get("completed_steps").asInt(),
                job.get("total_steps").asInt(),
                job.hasNonNull("train_loss") ? ", train loss %.4f".formatted(job.get("train_loss").asDouble()) : "",
                job.hasNonNull("validation_loss") ? ", validation loss %.4f".formatted(
                        job.get("validation_loss").asDouble()) : "",
                job.hasNonNull("fine_tuned_model") ? ", model " + job.get("fine_tuned_model").asString() : "");
        JsonNode estimate = job.get("estimate");
        if (estimate != null && !estimate.isNull() && job.get("finished_at").isNull()) {
            out.printf("  estimate: %d training examples, %d tokens x %d epochs = %d tokens, about %.1f "
                            + "minutes at %.0f tokens/s%n", estimate.get("train_examples").asInt(),
                    estimate.get("train_tokens_per_epoch").asLong(), estimate.get("n_epochs").asInt(),
                    estimate.get("billable_tokens").asLong(), estimate.get("estimated_minutes").asDouble(),
                    estimate.get("tokens_per_second").asDouble());
        }
        if (job.hasNonNull("evaluation")) {
            JsonNode evaluation = job.get("evaluation");
            for (String side : List.of("base", "fine_tuned")) {
                JsonNode run = evaluation.get(side);
                if (run != null && !run.isNull()) {
                    out.printf("  evaluation of %s (run %s, %s): %s%n", run.get("model").asString(),
                            run.get("run").asString(), run.get("status").asString(),
                            run.path("metrics").isObject() ? run.get("metrics").toString() : "-");
                }
            }
            if (evaluation.hasNonNull("delta")) {
                out.printf("  change: %s; compare: %s%n", evaluation.get("delta"),
                        evaluation.get("comparison").asString());
            }
        }
        if (job.hasNonNull("error")) {
            out.println("  error: " + job.get("error").get("message").asString());
        }
    }
}
