package dev.hanul.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hanul model versions}: the versions in a running service's registry, through its admin API. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List, register, load and unload model versions of a running service.",
        subcommands = {ModelVersionsCommand.ListVersions.class, ModelVersionsCommand.Register.class,
                ModelVersionsCommand.Show.class, ModelVersionsCommand.Load.class, ModelVersionsCommand.Unload.class})
final class ModelVersionsCommand {

    /** The registry's admin API. */
    static final String MODELS = "/api/admin/models";

    /** {@code name@3} as the API's path: {@code /api/admin/models/name/versions/3}. */
    static String versionPath(String id) {
        int at = id.lastIndexOf('@');
        if (at < 1 || !id.substring(at + 1).matches("\\d+")) {
            throw new IllegalArgumentException("'" + id + "' is not a version; write it as name@number, e.g. "
                    + "smollm2@3");
        }
        return MODELS + "/" + ServiceClient.encode(id.substring(0, at)) + "/versions/" + id.substring(at + 1);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every version with its state, memory and aliases, and the memory budget.")
    static final class ListVersions implements Callable<Integer> {

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            JsonNode registry = admin.client().get(MODELS);
            PrintWriter out = admin.out();
            JsonNode memory = registry.get("memory");
            out.printf("memory: %s used of %s%n", mb(memory.get("usedBytes").asLong()),
                    mb(memory.get("budgetBytes").asLong()));
            out.printf("%-40s %-10s %-10s %10s %9s  %s%n", "VERSION", "PHASE", "QUANT", "MEMORY", "IN FLIGHT",
                    "ALIASES");
            for (JsonNode model : registry.get("models")) {
                for (JsonNode version : model.get("versions")) {
                    out.printf("%-40s %-10s %-10s %10s %9d  %s%n", version.get("id").asString(),
                            version.at("/state/phase").asString(), version.path("quantization").asString("?"),
                            mb(version.at("/memory/totalBytes").asLong()), version.get("inFlight").asInt(),
                            String.join(",", version.get("aliases").valueStream().map(JsonNode::asString).toList()));
                }
            }
            return 0;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register the next version of a model from a local file, a Hugging Face file or a URL.")
    static final class Register implements Callable<Integer> {

        @Parameters(paramLabel = "NAME", description = "The model's name (a new name starts at version 1).")
        String name;

        @ArgGroup(multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--path", description = "A GGUF file on the server's machine.")
            String path;

            @ArgGroup(exclusive = false)
            HuggingFace huggingFace;

            @Option(names = "--download-url", description = "An http(s) address of a GGUF file the service downloads.")
            String url;
        }

        static final class HuggingFace {
            @Option(names = "--repo", required = true, description = "A Hugging Face repository.")
            String repository;

            @Option(names = "--file", required = true, description = "The GGUF file in that repository.")
            String file;
        }

        @Option(names = "--sha256", description = "The file's expected SHA-256.")
        String sha256;

        @Option(names = "--kv-cache", description = "This version's KV cache, e.g. 256MB (default: the service's "
                + "hanul.model.kv-cache).")
        String kvCache;

        @Option(names = "--notes", description = "Free text kept with the version.")
        String notes;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            Map<String, Object> from = new LinkedHashMap<>();
            if (source.path != null) {
                from.put("path", source.path);
            } else if (source.huggingFace != null) {
                from.put("repository", source.huggingFace.repository);
                from.put("file", source.huggingFace.file);
            } else {
                from.put("url", source.url);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("source", from);
            body.put("sha256", sha256);
            body.put("kvCache", kvCache);
            body.put("notes", notes);
            JsonNode version = admin.client().post(MODELS + "/" + ServiceClient.encode(name) + "/versions", body);
            admin.out().println(version.get("id").asString());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One version, as JSON.")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "VERSION", description = "name@number")
        String id;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            admin.out().println(admin.client().get(versionPath(id)).toPrettyString());
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Load and warm a version; with --wait, return once it is READY (or FAILED).")
    static final class Load implements Callable<Integer> {

        @Parameters(paramLabel = "VERSION", description = "name@number")
        String id;

        @Option(names = "--wait", description = "Wait until the version is ready.")
        boolean await;

        @Option(names = "--timeout", defaultValue = "PT10M",
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() throws InterruptedException {
            ServiceClient client = admin.client();
            JsonNode version = client.post(versionPath(id) + "/load", null);
            if (await) {
                version = awaitReady(client, id, timeout);
            }
            admin.out().printf("%s %s: %s%n", id, version.at("/state/phase").asString(),
                    version.at("/state/detail").asString());
            return version.at("/state/phase").asString().equals("FAILED") ? 1 : 0;
        }
    }

    @Command(name = "unload", mixinStandardHelpOptions = true,
            description = "Drain a version (running requests finish) and unload it.")
    static final class Unload implements Callable<Integer> {

        @Parameters(paramLabel = "VERSION", description = "name@number")
        String id;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            JsonNode version = admin.client().post(versionPath(id) + "/unload", null);
            admin.out().printf("%s %s: %s%n", id, version.at("/state/phase").asString(),
                    version.at("/state/detail").asString());
            return 0;
        }
    }

    /** Polls the version until it is READY or FAILED. */
    static JsonNode awaitReady(ServiceClient client, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode version = client.get(versionPath(id));
            String phase = version.at("/state/phase").asString();
            if (phase.equals("READY") || phase.equals("FAILED")) {
                return version;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " is still " + phase + " after " + timeout + ": "
                        + version.at("/state/detail").asString());
            }
            Thread.sleep(200);
        }
    }

    static String mb(long bytes) {
        return "%.1f MB".formatted(bytes / 1e6);
    }
}
