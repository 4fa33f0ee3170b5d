package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What was committed survives kill -9 of the writing process; the index reopens cleanly. */
class DurabilityTest {

    private static final int DOCUMENTS = 200;

    @TempDir
    Path dir;

    @Test
    void committedDocumentsSurviveAForcedKill() throws Exception {
        Process child = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                DurabilityWriter.class.getName(), dir.toString(), Integer.toString(DOCUMENTS)))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the child's report").isEqualTo("committed");
            // Let it write uncommitted documents for a moment, so the kill lands mid-write.
            Thread.sleep(300);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited").isTrue();
        }

        try (var store = VectorStore.open(dir, IndexConfig.of(DurabilityWriter.DIM))) {
            assertThat(store.count("committed")).isEqualTo(DOCUMENTS);
            assertThat(store.count("pending")).as("never committed, so never durable").isZero();
            assertThat(store.search(SearchRequest.text("committed", "document 17")))
                    .extracting(SearchHit::documentId).contains("doc-17");
        }
    }
}
