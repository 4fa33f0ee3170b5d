package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hanul model pull NAME} and {@code model list} against a hub in the test: a local HTTP server that serves a
 * small GGUF the way Hugging Face does ({@code /<repo>/resolve/main/<file>}, Range requests) and can cut the
 * connection midway. The user's catalog in the data directory names the file and its SHA-256.
 */
class ModelPullCommandTest {

    private static final String REPOSITORY = "test/Tiny-GGUF";
    private static final String FILE = "tiny-f16.gguf";

    @TempDir
    Path dir;

    private byte[] model;
    private String sha256;
    private HttpServer hub;
    private volatile int cutAfter = -1;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startHub() throws Exception {
        Path synthesized = dir.resolve("synth.gguf");
        // With stories260K's tokenizer (when it is there) the pulled model can also be prompted by name.
        Path tokenizer = TestModels.find(TestModels.STORIES).orElse(null);
        SyntheticModel.write(ModelShape.named("stories260k"), GgmlType.F16, 1, tokenizer, synthesized);
        model = Files.readAllBytes(synthesized);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/" + REPOSITORY + "/resolve/main/" + FILE, this::serve);
        hub.start();
    }

    @AfterEach
    void stopHub() {
        hub.stop(0);
    }

    @Test
    void pullsByNameWithProgressIntoTheDataDirectory() throws Exception {
        catalog(sha256);
        assertThat(pull()).as(err.toString()).isZero();
        Path pulled = dir.resolve("data/models/" + FILE);
        assertThat(pulled).hasBinaryContent(model);
        assertThat(out.toString().strip()).isEqualTo(pulled.toString());
        assertThat(err.toString()).contains("Pulling tiny:1m from http://127.0.0.1:").contains("100%");
        try (GgufFile gguf = GgufFile.open(pulled)) {
            assertThat(gguf.getString("general.architecture", null)).isEqualTo("llama");
        }

        out.getBuffer().setLength(0);
        assertThat(run("model", "list", "--data-dir", dir.resolve("data").toString())).isZero();
        assertThat(out.toString()).containsPattern("tiny:1m .* downloaded")
                .containsPattern("exaone3\\.5:2\\.4b .* cannot run: exaone").contains("smollm2:135m *");
    }

    @Test
    void aPulledModelRunsByItsName() throws Exception {
        assumeTrue(TestModels.find(TestModels.STORIES).isPresent(), () -> TestModels.notFound(TestModels.STORIES));
        catalog(sha256);
        String data = dir.resolve("data").toString();
        assertThat(run("generate", "--model", "tiny:1m", "--data-dir", data, "--max-tokens", "2", "--threads", "1"))
                .as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("tiny:1m is not downloaded").contains("bin/hanul model pull tiny:1m");

        assertThat(pull()).isZero();
        assertThat(run("generate", "--model", "tiny:1m", "--data-dir", data, "--max-tokens", "2", "--threads", "1",
                "--prompt", "Once")).as(err.toString()).isZero();
    }

    @Test
    void aCutConnectionResumesWhereItStopped() throws Exception {
        catalog(sha256);
        cutAfter = model.length / 3;
        assertThat(pull()).isEqualTo(1);
        assertThat(err.toString()).contains("the connection broke").contains("resumes where it stopped");
        Path part = dir.resolve("data/models/" + FILE + ".part");
        // What arrived before the cut: the client may drop bytes still in flight when the connection breaks.
        long kept = Files.size(part);
        assertThat(kept).isPositive().isLessThanOrEqualTo(model.length / 3);

        cutAfter = -1;
        assertThat(pull()).as(err.toString()).isZero();
        assertThat(dir.resolve("data/models/" + FILE)).hasBinaryContent(model);
        assertThat(part).doesNotExist();
        assertThat(ranges.getLast()).isEqualTo("bytes=" + kept + "-");
    }

    @Test
    void aChecksumMismatchIsRefusedAndThePartialFileRemoved() throws Exception {
        catalog("0".repeat(64));
        assertThat(pull()).isEqualTo(1);
        assertThat(err.toString()).contains("has SHA-256 " + sha256).contains("expected " + "0".repeat(64))
                .contains("deleted");
        assertThat(dir.resolve("data/models/" + FILE)).doesNotExist();
        assertThat(dir.resolve("data/models/" + FILE + ".part")).doesNotExist();
    }

    @Test
    void aModelThisBuildCannotRunIsNotPulled() {
        assertThat(run("model", "pull", "exaone3.5:2.4b", "--data-dir", dir.resolve("data").toString(),
                "--endpoint", endpoint())).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("exaone3.5:2.4b is not pulled: architecture 'exaone' is not supported");
    }

    private void catalog(String checksum) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/catalog.json"), """
                {"version": 1, "models": [{"name": "tiny:1m", "repository": "%s", "file": "%s", "sha256": "%s",
                  "sizeMb": 1, "license": "apache-2.0", "architecture": "llama", "quantization": "F16"}]}"""
                .formatted(REPOSITORY, FILE, checksum));
    }

    private int pull() {
        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
        return run("model", "pull", "tiny:1m", "--data-dir", dir.resolve("data").toString(), "--endpoint", endpoint());
    }

    private int run(String... arguments) {
        return HanulCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(arguments);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
        if (from > 0) {
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes %d-%d/%d".formatted(from, model.length - 1, model.length));
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, model.length - from);
        OutputStream body = exchange.getResponseBody();
        int end = cutAfter > 0 ? Math.min(model.length, from + cutAfter) : model.length;
        body.write(model, from, end - from);
        body.flush();
        // Closing short of Content-Length cuts the connection: the client sees the download break midway.
        exchange.close();
    }
}
