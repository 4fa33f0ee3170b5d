package dev.hanul.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hanul model alias}: deploy by moving aliases, split traffic, roll back, shadow; through the admin API. */
@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Point aliases at model versions (deploy), split traffic (canary), roll back, and shadow.",
        subcommands = {AliasCommand.ListAliases.class, AliasCommand.Set.class, AliasCommand.Split.class,
                AliasCommand.Canary.class, AliasCommand.Rollback.class, AliasCommand.Shadow.class,
                AliasCommand.History.class,
                AliasCommand.ShadowResults.class})
final class AliasCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every alias with its targets.")
    static final class ListAliases implements Callable<Integer> {

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            PrintWriter out = admin.out();
            out.printf("%-20s %-50s %-30s %s%n", "ALIAS", "TARGETS", "SHADOW", "CHANGED BY");
            for (JsonNode alias : admin.client().get(ModelVersionsCommand.MODELS + "/aliases")) {
                print(out, alias);
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Move (or create) an alias to one "
            + "version. With --load, load and warm the version first while the old one keeps serving.")
    static final class Set implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1", paramLabel = "VERSION", description = "name@number")
        String version;

        @Option(names = "--load", description = "Load the version and wait until it is ready before moving.")
        boolean load;

        @Option(names = "--keep-previous", description = "Keep the versions the alias leaves loaded, for an "
                + "instant rollback (default: they drain and unload).")
        boolean keepPrevious;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() throws InterruptedException {
            ServiceClient client = admin.client();
            if (load) {
                client.post(ModelVersionsCommand.versionPath(version) + "/load", null);
                JsonNode loaded = ModelVersionsCommand.awaitReady(client, version, Duration.ofMinutes(10));
                if (!loaded.at("/state/phase").asString().equals("READY")) {
                    throw new IllegalStateException(version + " failed to load: "
                            + loaded.at("/state/detail").asString());
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", version);
            body.put("keepPrevious", keepPrevious);
            print(admin.out(), client.put(path(alias), body));
            return 0;
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Split an alias's traffic by weight, e.g. `split default smollm2@3=90 smollm2@4=10`; "
                    + "each routing key (conversation, user) stays on one version.")
    static final class Split implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1..*", arity = "2..*", paramLabel = "VERSION=WEIGHT")
        List<String> targets;

        @Option(names = "--keep-previous", description = "Keep versions the alias leaves loaded.")
        boolean keepPrevious;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            List<Map<String, Object>> split = new ArrayList<>();
            for (String target : targets) {
                int equals = target.lastIndexOf('=');
                if (equals < 1 || !target.substring(equals + 1).matches("\\d+")) {
                    throw new IllegalArgumentException("'" + target + "' is not VERSION=WEIGHT, e.g. smollm2@4=10");
                }
                split.add(Map.of("version", target.substring(0, equals), "weight",
                        Integer.parseInt(target.substring(equals + 1))));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("targets", split);
            body.put("keepPrevious", keepPrevious);
            print(admin.out(), admin.client().put(path(alias), body));
            return 0;
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true,
            description = "Send PERCENT (1 to 99) of an alias's traffic to VERSION (a version or a fine-tuned "
                    + "model's adapter, e.g. `canary default ft-smollm2-qa-1a2b3c4d 10`) beside its stable target; "
                    + "run again to change the share, `rollback` to undo, `set` to promote.")
    static final class Canary implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1", paramLabel = "VERSION", description = "name@number or a fine-tuned model's name")
        String version;

        @Parameters(index = "2", paramLabel = "PERCENT")
        int percent;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            print(admin.out(), admin.client().put(path(alias) + "/canary",
                    Map.of("version", version, "weight", percent)));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Move an alias back to where its last move took it from.")
    static final class Rollback implements Callable<Integer> {

        @Parameters(paramLabel = "ALIAS")
        String alias;

        @Option(names = "--keep-previous", description = "Keep the versions the alias leaves loaded.")
        boolean keepPrevious;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            print(admin.out(), admin.client().post(path(alias) + "/rollback?keepPrevious=" + keepPrevious, null));
            return 0;
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Send a copy of the alias's requests to VERSION (answers recorded, never returned), or "
                    + "stop with --clear.")
    static final class Shadow implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
        String version;

        @Option(names = "--clear", description = "Stop shadowing.")
        boolean clear;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            if (clear == (version != null)) {
                throw new IllegalArgumentException("give either a VERSION or --clear");
            }
            String shadow = path(alias) + "/shadow";
            JsonNode answer = clear ? admin.client().delete(shadow)
                    : admin.client().put(shadow, Map.of("version", version));
            print(admin.out(), answer);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "The alias's changes, newest first: when, who, what, from, to.")
    static final class History implements Callable<Integer> {

        @Parameters(paramLabel = "ALIAS")
        String alias;

        @Option(names = "--limit", defaultValue = "20", description = "Changes to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            PrintWriter out = admin.out();
            for (JsonNode change : admin.client().get(path(alias) + "/history?limit=" + limit)) {
                out.printf("%s  %-12s %-15s %s -> %s%n", change.get("changedAt").asString(),
                        change.get("actor").asString(), change.get("action").asString(),
                        change.path("fromValue").asString("(none)"), change.path("toValue").asString("(none)"));
            }
            return 0;
        }
    }

    @Command(name = "shadow-results", mixinStandardHelpOptions = true,
            description = "Shadow answers next to the primary's, newest first.")
    static final class ShadowResults implements Callable<Integer> {

        @Parameters(paramLabel = "ALIAS", arity = "0..1")
        String alias;

        @Option(names = "--limit", defaultValue = "20", description = "Results to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        AdminTarget admin;

        @Override
        public Integer call() {
            PrintWriter out = admin.out();
            String query = "?limit=" + limit + (alias == null ? "" : "&alias=" + ServiceClient.encode(alias));
            for (JsonNode result : admin.client().get(ModelVersionsCommand.MODELS + "/shadow-results" + query)) {
                out.printf("%s %s%n  %s (%s, %d ms): %s%n  %s (%s, %d ms): %s%n",
                        result.get("recordedAt").asString(), result.get("requestId").asString(),
                        result.get("primaryId").asString(), result.get("primaryEnd").asString(),
                        result.get("primaryMillis").asLong(), oneLine(result.get("primaryText").asString()),
                        result.get("shadowId").asString(), result.get("shadowEnd").asString(),
                        result.get("shadowMillis").asLong(), oneLine(result.get("shadowText").asString()));
            }
            return 0;
        }

        private static String oneLine(String text) {
            String line = text.replace("\n", "\\n");
            return line.length() > 120 ? line.substring(0, 120) + "..." : line;
        }
    }

    /** The admin API's resource of one alias. */
    private static String path(String alias) {
        return ModelVersionsCommand.MODELS + "/aliases/" + ServiceClient.encode(alias);
    }

    static void print(PrintWriter out, JsonNode alias) {
        List<String> targets = new ArrayList<>();
        for (JsonNode target : alias.get("targets")) {
            targets.add("%s=%d (%s)".formatted(target.get("version").asString(), target.get("weight").asInt(),
                    target.get("phase").asString()));
        }
        out.printf("%-20s %-50s %-30s %s%n", alias.get("name").asString(), String.join(", ", targets),
                alias.path("shadow").asString("-"), alias.get("updatedBy").asString());
    }
}
