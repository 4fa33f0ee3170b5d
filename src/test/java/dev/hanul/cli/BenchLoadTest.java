package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import picocli.CommandLine;

/** {@code hanul bench load} against the running service (stories260K) in TGI's streaming format. */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/bench-load", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class BenchLoadTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    private final StringWriter out = new StringWriter();
    private final CommandLine hanul = HanulCommand.commandLine().setOut(new PrintWriter(out))
            .setErr(new PrintWriter(new StringWriter()));

    @Test
    void reportsRequestsLatenciesAndThroughputAsAMarkdownTable() {
        int exit = hanul.execute("bench", "load", "--url", "http://localhost:" + port, "--api", "tgi",
                "--concurrency", "3", "--requests", "6", "--max-tokens", "8");

        assertThat(exit).as(out.toString()).isZero();
        String[] row = tableRow();
        assertThat(row[0].strip()).as("requests ok").isEqualTo("6");
        assertThat(row[1].strip()).as("failed").isEqualTo("0");
        // stories260K ends its stories with BOS, which is no stop token: every request runs to max_new_tokens.
        assertThat(row[3].strip()).as("output tokens").isEqualTo("48");
        for (int column = 5; column <= 9; column++) {
            assertThat(row[column].strip()).as("latency column %d", column).endsWith(" ms");
        }
        assertThat(out.toString()).contains("Load on http://localhost:" + port + "/generate_stream");
    }

    @Test
    void requestsTheServiceRefusesAreCountedAsFailedWithTheirError() {
        int exit = hanul.execute("bench", "load", "--url", "http://localhost:" + port, "--api", "tgi",
                "--concurrency", "2", "--requests", "2", "--max-tokens", "100000");

        assertThat(exit).isEqualTo(1);
        String[] row = tableRow();
        assertThat(row[0].strip()).isEqualTo("0");
        assertThat(row[1].strip()).isEqualTo("2");
        assertThat(out.toString()).contains("2× HTTP 422").contains("max_new_tokens");
    }

    /** The cells of the table's one data row. */
    private String[] tableRow() {
        String row = out.toString().lines().filter(line -> line.startsWith("| ") && line.matches("\\| \\d.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no table row in:\n" + out));
        return row.substring(2, row.length() - 1).split("\\|");
    }
}
