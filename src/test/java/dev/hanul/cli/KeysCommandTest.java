package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code hanul keys} and {@code hanul ingest --api-key} against a running service with authentication on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/keys-command",
        "hanul.security.enabled=true",
        "hanul.security.admin-key=" + KeysCommandTest.ADMIN_KEY})
@AutoConfigureWebTestClient(timeout = "PT60S")
class KeysCommandTest {

    static final String ADMIN_KEY = "cli-admin-key-0123456789abcdef0123456789";

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void createsListsAndRevokesAKeyThatIngestThenUses() throws Exception {
        String tenant = "cli-" + UUID.randomUUID();
        assertThat(hanul("keys", "create", "uploader", "--url", url(), "--api-key", ADMIN_KEY, "--role", "user",
                "--tenant", tenant, "--requests-per-minute", "100")).as(err.toString()).isZero();
        String key = out.toString().strip();
        assertThat(key).matches("hanul_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}");
        assertThat(err.toString()).contains("shown once").contains("tenant " + tenant);
        String id = key.substring(6, 14);

        Files.writeString(dir.resolve("otters.txt"), "Sea otters hold hands while they sleep.", StandardCharsets.UTF_8);
        assertThat(hanul("ingest", "--url", url(), "--api-key", key, dir.toString())).as(err.toString()).isZero();
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);

        assertThat(hanul("keys", "list", "--url", url(), "--api-key", ADMIN_KEY)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("hanul_" + id).contains("uploader").contains(tenant).contains("active")
                .doesNotContain(key);

        assertThat(hanul("keys", "revoke", id, "--url", url(), "--api-key", ADMIN_KEY)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Revoked hanul_" + id);
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void withoutAKeyOrWithAUserKeyTheCommandSaysWhy() {
        assertThat(hanul("keys", "list", "--url", url())).isOne();
        assertThat(err.toString()).contains("An admin key is needed");

        assertThat(hanul("keys", "list", "--url", url(), "--api-key", "hanul_AAAAAAAA_" + "B".repeat(40))).isOne();
        assertThat(err.toString()).contains("HTTP 401").contains("not valid");
    }

    private int hanul(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return HanulCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private String url() {
        return "http://localhost:" + port;
    }
}
