package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real files, not generated ones: the documents Apache Tika's parser tests use (its test jars on Maven Central,
 * unpacked by the build into {@code target/real-documents}). The first {@value #PER_TYPE} files of each type people
 * keep documents in (by name, at most {@value #MAX_BYTES} bytes, which keeps the
 * run to a few minutes: a 600 KB spreadsheet alone is 3,200 chunks) go to {@code POST /api/ingest}, one request each;
 * at least 95% must be indexed, and every other file must come back as a per-document error that names the file and
 * says why. The set includes what a shared drive holds: password-protected files, files from old versions of the
 * formats, embedded objects, e-mails with attachments. The report (type, file, outcome) is written to
 * {@code target/real-documents-report.md}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/real-documents",
        "hanul.ingest.max-file-size=8MB",
        "hanul.ingest.max-request-size=64MB"})
class RealDocumentsTest extends IngestTestSupport {

    private final JsonMapper json = JsonMapper.builder().build();

    static final int PER_TYPE = 4;
    static final long MAX_BYTES = 400_000;
    /** The extensions of the formats issue 11 names, as Tika's test documents spell them. */
    private static final List<String> TYPES = List.of("pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls", "rtf",
            "odt", "ods", "odp", "epub", "html", "eml", "msg", "xml", "txt", "hwp");

    @Test
    void atLeastNinetyFivePercentOfRealFilesAreIndexedAndEveryOtherIsExplained() throws IOException {
        Path folder = Path.of(System.getProperty("hanul.test.real-documents", "target/real-documents/test-documents"));
        Assumptions.assumeTrue(Files.isDirectory(folder), "Tika's test documents are not unpacked in " + folder
                + " (the build's real-documents step fetches them from Maven Central)");
        Map<String, List<Path>> byType = selection(folder);
        String tenant = newTenant();
        var outcomes = new ArrayList<String>();
        int files = 0;
        int indexed = 0;
        var unexplained = new ArrayList<String>();
        for (var type : byType.entrySet()) {
            for (Path file : type.getValue()) {
                // one request a file: the API refuses a whole request when one of its files is of a type it cannot
                // read, and that refusal (415, naming the file and why) is then this file's explanation
                String name = file.getFileName().toString();
                files++;
                var response = http.post().uri("/api/ingest").header(TENANT, tenant)
                        .body(BodyInserters.fromMultipartData(multipart(Map.of(name, Files.readAllBytes(file)), null)))
                        .exchange().expectBody(String.class).returnResult();
                if (!response.getStatus().is2xxSuccessful()) {
                    String refusal = json.readTree(response.getResponseBody()).get("message").asString();
                    if (!refusal.contains(name)) {
                        unexplained.add(name);
                    }
                    outcomes.add(row(type.getKey(), name, "refused " + response.getStatus().value(), 0, refusal));
                    continue;
                }
                JobView job = awaitJob(tenant, json.readValue(response.getResponseBody(), JobAccepted.class).jobId());
                JobView.Entry entry = job.documents().stream().filter(e -> e.source().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " is missing from job " + job.id()));
                if (entry.status().equals("INDEXED")) {
                    indexed++;
                } else if (job.errors().stream().noneMatch(e -> e.source().equals(name) && e.reason() != null
                        && !e.reason().isBlank())) {
                    unexplained.add(name);
                }
                outcomes.add(row(type.getKey(), name, entry.status(), entry.chunks(), entry.error()));
            }
        }
        String report = "Real documents (Apache Tika's test files): " + indexed + " of " + files + " indexed\n\n"
                + "| type | file | status | chunks | reason |\n|---|---|---|---:|---|\n" + String.join("\n", outcomes)
                + "\n";
        Files.writeString(Path.of("target/real-documents-report.md"), report);
        System.out.println(report);

        assertThat(files).isGreaterThanOrEqualTo(60);
        assertThat(unexplained).as("failed documents without a reason").isEmpty();
        assertThat((double) indexed / files).as(report).isGreaterThanOrEqualTo(0.95);
    }

    private static String row(String type, String file, String status, int chunks, String reason) {
        return "| " + type + " | " + file + " | " + status + " | " + chunks + " | "
                + (reason == null ? "" : reason.replace('|', '/')) + " |";
    }

    /** The first files of each type by name, as Tika ships them (no file picked for its outcome). */
    private static Map<String, List<Path>> selection(Path folder) {
        var byType = new TreeMap<String, List<Path>>(Comparator.comparingInt(TYPES::indexOf));
        try (Stream<Path> all = Files.list(folder)) {
            all.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString()
                    .toLowerCase(Locale.ROOT))).forEach(file -> {
                        String name = file.getFileName().toString();
                        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                        if (TYPES.contains(extension) && size(file) <= MAX_BYTES) {
                            List<Path> picked = byType.computeIfAbsent(extension, e -> new ArrayList<>());
                            if (picked.size() < PER_TYPE) {
                                picked.add(file);
                            }
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byType;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
