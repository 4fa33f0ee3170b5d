package dev.hanul.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hanul prompts}: the prompt registry of a running service ({@code /api/prompts}). */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Prompt templates: versions, labels, diffs, and the exact prompt a model sees.",
        subcommands = {PromptsCommand.List.class, PromptsCommand.Show.class, PromptsCommand.Create.class,
                PromptsCommand.Label.class, PromptsCommand.Rollback.class, PromptsCommand.Diff.class,
                PromptsCommand.Render.class})
final class PromptsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Templates with versions and labels.")
    static final class List implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;

        @Override
        public Integer call() {
            for (JsonNode prompt : service.client().get("/api/prompts")) {
                System.out.printf("%-24s versions 1..%d  labels %s%n", prompt.get("name").asString(),
                        prompt.get("versions").size(), prompt.get("labels"));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A template, or one version's text.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
        Integer version;

        @Override
        public Integer call() {
            System.out.println(ServiceClient.json(service.client().get(version == null ? "/api/prompts/" + name
                    : "/api/prompts/" + name + "/versions/" + version)));
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Store a file as the next version.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--file", required = true, description = "The Jinja template of the user's turn.")
        Path file;
        @Option(names = "--system", description = "The Jinja template of the system message.")
        Path system;
        @Option(names = {"-m", "--message"}, required = true, description = "What changed and why.")
        String message;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("text", ServiceClient.fileText(file), "message", message));
            if (system != null) {
                body.put("system", ServiceClient.fileText(system));
            }
            JsonNode created = service.client().post("/api/prompts/" + name + "/versions", body);
            System.out.printf("%s@%d%n", created.get("name").asString(), created.get("version").asInt());
            return 0;
        }
    }

    @Command(name = "label", mixinStandardHelpOptions = true,
            description = "Point a label at a version, or split it: --split 2:90,3:10.")
    static final class Label implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "LABEL")
        String label;
        @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION")
        Integer version;
        @Option(names = "--split", description = "version:weight,... for an A/B test, sticky per conversation.")
        String split;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (split != null) {
                Map<String, Integer> weights = new LinkedHashMap<>();
                for (String part : split.split(",")) {
                    String[] versionWeight = part.split(":");
                    if (versionWeight.length != 2) {
                        throw new IllegalArgumentException("--split takes version:weight pairs, got '" + part + "'");
                    }
                    weights.put(versionWeight[0].strip(), Integer.parseInt(versionWeight[1].strip()));
                }
                body.put("split", weights);
            } else if (version != null) {
                body.put("version", version);
            } else {
                throw new IllegalArgumentException("Give VERSION or --split.");
            }
            JsonNode change = service.client().put("/api/prompts/" + name + "/labels/" + label, body);
            System.out.printf("%s@%s: %s -> %s%n", name, label, change.get("fromTargets").asString("none"),
                    change.get("toTargets").asString());
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Move a label back.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "LABEL")
        String label;

        @Override
        public Integer call() {
            JsonNode change = service.client().post("/api/prompts/" + name + "/labels/" + label + "/rollback",
                    Map.of());
            System.out.printf("%s@%s: %s -> %s%n", name, label, change.get("fromTargets").asString(),
                    change.get("toTargets").asString());
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "A unified diff of two versions.")
    static final class Diff implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "FROM")
        int from;
        @Parameters(index = "2", paramLabel = "TO")
        int to;

        @Override
        public Integer call() {
            JsonNode diff = service.client().get("/api/prompts/" + name + "/diff?from=" + from + "&to=" + to);
            System.out.println(diff.get("text").asString());
            if (!diff.get("system").asString().isEmpty()) {
                System.out.println(diff.get("system").asString());
            }
            return 0;
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "The exact prompt a model sees for a question, and its token count.")
    static final class Render implements Callable<Integer> {
        @Mixin
        ServiceClient.Options service;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--question", required = true)
        String question;
        @Option(names = "--version")
        Integer version;
        @Option(names = "--label")
        String label;
        @Option(names = "--model", description = "Whose chat template and tokenizer (default: the default model).")
        String model;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("question", question));
            if (version != null) {
                body.put("version", version);
            }
            if (label != null) {
                body.put("label", label);
            }
            if (model != null) {
                body.put("model", model);
            }
            JsonNode rendered = service.client().post("/api/prompts/" + name + "/render", body);
            System.out.println(rendered.get("prompt").asString());
            System.out.printf("-- %s@%d, %d tokens for %s%n", rendered.get("name").asString(),
                    rendered.get("version").asInt(), rendered.get("tokens").asInt(),
                    rendered.get("model").asString());
            return 0;
        }
    }
}
