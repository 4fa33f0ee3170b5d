package dev.hanul.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code hanul keys create|list|revoke}: manages a running service's API keys through its admin API
 * ({@code /api/admin/keys}), with an admin key.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke the API keys of a running Hanul service (needs an admin key).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The service, with the admin key these commands need. */
    static final class Service {

        @Mixin
        ServiceClient.Options service;

        ServiceClient client() {
            if (service.apiKey.key == null || service.apiKey.key.isBlank()) {
                throw new IllegalArgumentException("An admin key is needed: pass --api-key KEY or set HANUL_API_KEY "
                        + "(the first start of the service prints one, or set hanul.security.admin-key).");
            }
            return service.client();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key; it is printed once and cannot be shown again.")
    static final class Create implements Callable<Integer> {

        @Mixin
        Service keys;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "What the key is for, e.g. ci or web-ui.")
        String name;

        @Option(names = "--role", defaultValue = "user", description = "admin, user or read-only (default: "
                + "${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--tenant", description = "The only tenant the key may act for (leave out for every tenant; "
                + "admin keys must).")
        String tenant;

        @Option(names = "--requests-per-minute", description = "This key's request limit (0: none).")
        Integer requestsPerMinute;

        @Option(names = "--tokens-per-day", description = "This key's token quota (0: none).")
        Long tokensPerDay;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            body.put("tenant", tenant);
            body.put("requestsPerMinute", requestsPerMinute);
            body.put("tokensPerDay", tokensPerDay);
            JsonNode created = keys.client().post("/api/admin/keys", body);
            JsonNode details = created.get("details");
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.get("key").asString());
            PrintWriter err = spec.commandLine().getErr();
            err.printf("Created %s (id %s, %s%s). The key above is shown once: store it now.%n",
                    details.get("prefix").asString(), details.get("id").asString(), details.get("role").asString(),
                    absent(details, "tenant") ? ", every tenant"
                            : ", tenant " + details.get("tenant").asString());
            err.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys with their usage.")
    static final class ListKeys implements Callable<Integer> {

        @Mixin
        Service keys;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode listed = keys.client().get("/api/admin/keys");
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-16s %-10s %-20s %-9s %-20s %9s %12s  %s%n", "PREFIX", "ID", "NAME", "ROLE", "TENANT",
                    "REQUESTS", "TOKENS", "STATE");
            for (JsonNode key : listed) {
                JsonNode usage = key.get("usage");
                long tokens = usage.get("promptTokens").asLong() + usage.get("completionTokens").asLong();
                out.printf("%-16s %-10s %-20s %-9s %-20s %9d %12d  %s%n", text(key, "prefix"), text(key, "id"),
                        text(key, "name"), text(key, "role"), absent(key, "tenant") ? "*" : text(key, "tenant"),
                        usage.get("requests").asLong(), tokens,
                        absent(key, "revokedAt") ? "active" : "revoked " + text(key, "revokedAt"));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static final class Revoke implements Callable<Integer> {

        @Mixin
        Service keys;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The key's id (the part after 'hanul_' in its prefix).")
        String id;

        @Override
        public Integer call() {
            String keyId = id.startsWith("hanul_") ? id.substring("hanul_".length()).split("_")[0] : id;
            JsonNode revoked = keys.client().delete("/api/admin/keys/" + ServiceClient.encode(keyId));
            spec.commandLine().getOut().printf("Revoked %s (%s) at %s%n", text(revoked, "prefix"),
                    text(revoked, "name"), text(revoked, "revokedAt"));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static boolean absent(JsonNode object, String field) {
        return object.path(field).isNull() || object.path(field).isMissingNode();
    }

    private static String text(JsonNode object, String field) {
        return object.path(field).asString("");
    }
}
