package dev.hanul.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hanul.model.ModelDownloadException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real local HTTP server that speaks Range requests and can drop a connection midway. */
class ModelDownloaderTest {

    @TempDir
    Path dir;

    private final byte[] model = new byte[300_000];
    private final List<String> ranges = new ArrayList<>();
    private HttpServer server;
    private volatile int dropAfter = -1;
    private String sha256;

    @BeforeEach
    void serve() throws Exception {
        new Random(1).nextBytes(model);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.gguf", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anInterruptedDownloadResumesWhereItStoppedAndIsVerified() {
        Path target = dir.resolve("models/model.gguf");
        dropAfter = 100_000;
        assertThatThrownBy(() -> download(target, null)).isInstanceOfSatisfying(ModelDownloadException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST))
                .hasMessageContaining(uri().toString()).hasMessageContaining("resumes where it stopped");
        assertThat(target).doesNotExist();
        assertThat(target.resolveSibling("model.gguf.part")).exists();

        dropAfter = -1;
        List<Long> progress = new ArrayList<>();
        new ModelDownloader().download(uri(), target, null, (done, total) -> progress.add(done));
        assertThat(target).hasBinaryContent(model);
        assertThat(ranges.getLast()).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(progress.getFirst()).isPositive(); // it started from what the first attempt kept
        assertThat(progress.getLast()).isEqualTo(model.length);
    }

    @Test
    void theServersChecksumHeaderIsVerified() {
        Path target = dir.resolve("model.gguf");
        sha256 = "0".repeat(64);
        assertThatThrownBy(() -> download(target, null))
                .isInstanceOfSatisfying(ModelDownloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH))
                .hasMessageContaining("expected " + sha256).hasMessageContaining("deleted");
        assertThat(target).doesNotExist();
        assertThat(target.resolveSibling("model.gguf.part")).doesNotExist();
    }

    @Test
    void aGivenChecksumWins() {
        Path target = dir.resolve("model.gguf");
        assertThatThrownBy(() -> download(target, "ab".repeat(32))).hasMessageContaining("expected " + "ab".repeat(32));
    }

    @Test
    void aMissingFileIsAClearError() {
        Path target = dir.resolve("other.gguf");
        assertThatThrownBy(() -> new ModelDownloader().download(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing.gguf"), target, null,
                (d, t) -> { })).hasMessageContaining("HTTP 404").hasMessageContaining("name is wrong");
    }

    @Test
    void anUnresolvableHostIsNamedWithTheWaysOut() {
        URI source = ModelDownloader.huggingFace(URI.create("http://hanul-test.invalid"), "org/repo", "m.gguf");
        assertThat(source).hasToString("http://hanul-test.invalid/org/repo/resolve/main/m.gguf");
        assertThatThrownBy(() -> new ModelDownloader().download(source, dir.resolve("m.gguf"), null, (d, t) -> { }))
                .isInstanceOfSatisfying(ModelDownloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.HOST_NOT_FOUND))
                .hasMessageContaining(source.toString())
                .hasMessageContaining("hanul-test.invalid could not be resolved")
                .hasMessageContaining("--model FILE").hasMessageContaining("HF_ENDPOINT")
                .hasMessageNotContaining("null");
    }

    @Test
    void aRefusedConnectionSaysSo() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI source = URI.create("http://127.0.0.1:" + closedPort + "/m.gguf");
        assertThatThrownBy(() -> new ModelDownloader().download(source, dir.resolve("m.gguf"), null, (d, t) -> { }))
                .isInstanceOfSatisfying(ModelDownloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_NETWORK))
                .hasMessageContaining("could not connect to 127.0.0.1:" + closedPort)
                .hasMessageNotContaining("null");
    }

    private void download(Path target, String sha) {
        new ModelDownloader().download(uri(), target, sha, (d, t) -> { });
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/model.gguf");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
        exchange.getResponseHeaders().add("X-Linked-ETag", "\"" + sha256 + "\"");
        if (from > 0) {
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes %d-%d/%d".formatted(from, model.length - 1, model.length));
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, model.length - from);
        OutputStream out = exchange.getResponseBody();
        int end = dropAfter > 0 ? Math.min(model.length, from + dropAfter) : model.length;
        out.write(model, from, end - from);
        out.flush();
        // Closing short of Content-Length drops the connection: the client sees the download break midway.
        exchange.close();
    }
}
