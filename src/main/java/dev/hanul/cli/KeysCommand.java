package dev.hanul.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

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

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_LIST =
            new ParameterizedTypeReference<>() {
            };

    /** Where the service is and the admin key to call it with; each subcommand takes both options. */
    static final class Service {

        @Option(names = "--url", defaultValue = "http://localhost:8080",
                description = "The service (default: ${DEFAULT-VALUE}).")
        URI url;

        @Mixin
        ApiKeyOption apiKey;

        WebClient client() {
            if (apiKey.key == null || apiKey.key.isBlank()) {
                throw new IllegalArgumentException("An admin key is needed: pass --api-key KEY or set HANUL_API_KEY "
                        + "(the first start of the service prints one, or set hanul.security.admin-key).");
            }
            return apiKey.apply(WebClient.builder().baseUrl(url.toString())).build();
        }

        /** Runs a call, turning the service's refusals and an unreachable service into one clear line. */
        <T> T call(Function<WebClient, Mono<T>> request) {
            WebClient client = client();
            try {
                return request.apply(client).block(Duration.ofSeconds(30));
            } catch (WebClientResponseException e) {
                throw new IllegalStateException("The service refused (HTTP %d): %s"
                        .formatted(e.getStatusCode().value(), e.getResponseBodyAsString()), e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cannot reach the service at " + url
                        + " (start it with bin/hanul serve): " + e.getMessage(), e);
            }
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
            Map<String, Object> created = keys.call(client -> client.post().uri("/api/admin/keys")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve().bodyToMono(JSON));
            Map<?, ?> details = (Map<?, ?>) created.get("details");
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.get("key"));
            PrintWriter err = spec.commandLine().getErr();
            err.printf("Created %s (id %s, %s%s). The key above is shown once: store it now.%n", details.get("prefix"),
                    details.get("id"), details.get("role"),
                    details.get("tenant") == null ? ", every tenant" : ", tenant " + details.get("tenant"));
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
            List<Map<String, Object>> listed = keys.call(client -> client.get().uri("/api/admin/keys").retrieve()
                    .bodyToMono(JSON_LIST));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-16s %-10s %-20s %-9s %-20s %9s %12s  %s%n", "PREFIX", "ID", "NAME", "ROLE", "TENANT",
                    "REQUESTS", "TOKENS", "STATE");
            for (Map<String, Object> key : listed) {
                Map<?, ?> usage = (Map<?, ?>) key.get("usage");
                long tokens = ((Number) usage.get("promptTokens")).longValue()
                        + ((Number) usage.get("completionTokens")).longValue();
                out.printf("%-16s %-10s %-20s %-9s %-20s %9s %12d  %s%n", key.get("prefix"), key.get("id"),
                        key.get("name"), key.get("role"), key.get("tenant") == null ? "*" : key.get("tenant"),
                        usage.get("requests"), tokens,
                        key.get("revokedAt") == null ? "active" : "revoked " + key.get("revokedAt"));
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
            Map<String, Object> revoked = keys.call(client -> client.delete().uri("/api/admin/keys/{id}", keyId)
                    .retrieve().bodyToMono(JSON));
            spec.commandLine().getOut().printf("Revoked %s (%s) at %s%n", revoked.get("prefix"), revoked.get("name"),
                    revoked.get("revokedAt"));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
