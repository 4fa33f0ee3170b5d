package dev.hanul.cli;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import picocli.CommandLine.Option;

/**
 * {@code --api-key} for commands that talk to a running service: sent as {@code Authorization: Bearer}, as the
 * service asks of every client. Mixed into a command with {@code @Mixin ApiKeyOption apiKey;}.
 */
final class ApiKeyOption {

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:HANUL_API_KEY}",
            description = "API key for the service (default: the HANUL_API_KEY environment variable).")
    String key;

    /** The builder, sending the key with every request when there is one. */
    WebClient.Builder apply(WebClient.Builder builder) {
        return key == null || key.isBlank() ? builder
                : builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key.strip());
    }
}
