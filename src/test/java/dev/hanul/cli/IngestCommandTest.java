package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;

import dev.hanul.ingest.text.FormatSamples;
import java.io.IOException;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import picocli.CommandLine;

/** {@code hanul ingest} as a user runs it: a directory sent to a running service, followed to the end. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/ingest-command", "hanul.ingest.max-file-size=64KB"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class IngestCommandTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void ingestsADirectoryAndRefusesEmptyFiles() throws IOException {
        write("notes/otters.md", "# Otters\n\nSea otters hold hands while they sleep.\n");
        write("notes/deep/kimchi.txt", "김치는 배추와 고춧가루로 담그는 한국의 전통 발효 음식입니다.\n");
        write("notes/empty.txt", "");
        String tenant = "cli-" + UUID.randomUUID();

        int exit = hanul("ingest", "--url", "http://localhost:" + port, "--tenant", tenant, "--batch", "1",
                dir.resolve("notes").toString());

        assertThat(exit).as(err.toString()).isOne();
        assertThat(out.toString()).isEqualTo("2 files sent, 0 failed, 1 refused\n");
        assertThat(err.toString())
                .contains("refused: " + dir.resolve("notes/empty.txt") + ": it is empty")
                .contains("files 1-1 of 2").contains("files 2-2 of 2")
                .doesNotContain("failed:");
        http.get().uri("/api/documents").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.documents[*].source").value(containsInAnyOrder("otters.md", "kimchi.txt"))
                .jsonPath("$.documents[*].chunkCount").value(everyItem(greaterThan(0)));
    }

    @Test
    void aFileTheServiceCannotParseFailsTheCommand() throws IOException {
        write("broken.pdf", "%PDF-1.7 this is not really a PDF");
        write("fine.txt", "Lighthouses guide ships into harbour.");
        String tenant = "cli-" + UUID.randomUUID();

        int exit = hanul("ingest", "--url", "http://localhost:" + port, "--tenant", tenant, dir.toString());

        assertThat(exit).isOne();
        assertThat(out.toString()).isEqualTo("2 files sent, 1 failed, 0 refused\n");
        assertThat(err.toString()).contains("failed: broken.pdf");
        http.get().uri("/api/documents").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.documents[0].source").isEqualTo("fine.txt");
    }

    @Test
    void goesOnPastFilesItOrTheServiceRefusesAndListsThemAtTheEnd() throws IOException {
        write("a-archive.zip", "PK\u0003\u0004 not a document");
        Files.write(dir.resolve("b-공지.hwp"), FormatSamples.hwp("사내 공지: 보안 교육은 목요일에 있습니다."));
        write("c-huge.txt", "Too big for this service's upload limit. ".repeat(2000));
        write("d-fine.txt", "Lighthouses guide ships into harbour.");
        String tenant = "cli-" + UUID.randomUUID();

        int exit = hanul("ingest", "--url", "http://localhost:" + port, "--tenant", tenant, dir.toString());

        assertThat(exit).as(err.toString()).isOne();
        assertThat(out.toString()).isEqualTo("2 files sent, 0 failed, 2 refused\n");
        assertThat(err.toString())
                .contains("refused: " + dir.resolve("a-archive.zip") + ": it is application/zip")
                .contains("refused: " + dir.resolve("c-huge.txt") + ": HTTP 413");
        http.get().uri("/api/documents").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.documents[*].source").value(containsInAnyOrder("b-공지.hwp", "d-fine.txt"));
    }

    private int hanul(String... args) {
        return HanulCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
