package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Bad input gets a JSON error that says what is wrong and how to fix it, and never costs anything already accepted:
 * a refused request stages nothing, and a document that fails inside a job fails alone.
 */
class BadInputTest extends IngestTestSupport {

    @LocalServerPort
    int port;

    @Test
    void anUnsupportedTypeIsRefusedNamingTheTypeAndTheSupportedOnes() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0};
        postFiles(Map.of("archive.zip", zip, "fine.txt", "fine".getBytes(StandardCharsets.UTF_8)), null)
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.status").isEqualTo(415)
                .jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("'archive.zip' is refused: it is application/zip").contains("PDF, DOCX")
                        .contains("XLSX").contains("HWP")
                        .contains("Nothing from this request was ingested"));
    }

    @Test
    void anEmptyFileIsRefused() {
        postFiles(Map.of("empty.txt", new byte[0]), null)
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("File 'empty.txt' is empty"));
    }

    @Test
    void invalidMetadataIsRefusedNamingTheField() {
        postFiles(Map.of("a.txt", "a".getBytes(StandardCharsets.UTF_8)), "{\"tags\": [\"x\"")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("metadata is not valid JSON"));
        postFiles(Map.of("a.txt", "a".getBytes(StandardCharsets.UTF_8)), "{\"owner\": {\"name\": \"x\"}}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("metadata.owner is object"));
        http.post().uri("/api/ingest/text").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"documents\": [{\"text\": \"x\", \"metadata\": {\"source\": \"mine\"}}]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("documents[0].metadata.source is set by Hanul itself"));
    }

    @Test
    void aFileOverTheLimitIsRefusedWith413() {
        postFiles(Map.of("big.txt", "x".repeat(3 << 20).getBytes(StandardCharsets.UTF_8)), null)
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("'big.txt' is larger than 2 MB").contains("hanul.ingest.max-file-size"));
    }

    /**
     * A client announcing a 1 GB upload is answered at once, from the headers: the test sends only the headers and
     * a few bytes, and the 413 arrives without the rest.
     */
    @Test
    void aOneGigabyteUploadIsRefusedBeforeItsBodyIsRead() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/ingest HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 1073741824\r\n\r\n"
                    + "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413").contains("\"status\":413")
                    .contains("more than the 16 MB allowed").contains("hanul.ingest.max-request-size");
        }
    }

    @Test
    void encryptedAndCorruptPdfsFailAloneWithTheirReasons() {
        String tenant = newTenant();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("locked.pdf", TestDocuments.encryptedPdf("Top secret"));
        files.put("broken.pdf", TestDocuments.corruptPdf());
        files.put("good.pdf", TestDocuments.pdf(List.of("Penguins live in the southern hemisphere.")));

        JobView job = awaitJob(tenant, upload(tenant, files, null));

        assertThat(job.status()).isEqualTo("COMPLETED_WITH_ERRORS");
        assertThat(job.progress().indexedDocuments()).isEqualTo(1);
        assertThat(job.progress().failedDocuments()).isEqualTo(2);
        assertThat(job.errors()).extracting(JobView.Error::source, JobView.Error::reason).containsExactly(
                tuple("locked.pdf", "it is encrypted (password-protected); remove the "
                        + "password and upload it again"),
                tuple("broken.pdf", job.errors().get(1).reason()));
        assertThat(job.errors().get(1).reason()).contains("corrupt or truncated");
        assertThat(search(tenant, searchJson("penguins southern hemisphere", "hybrid")))
                .extracting(hit -> hit.get("source")).first().isEqualTo("good.pdf");
    }

    @Test
    void badSearchesAndBadTenantsAreExplained() {
        http.post().uri("/api/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"x\", \"mode\": \"fuzzy\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("mode 'fuzzy' is not known"));
        http.post().uri("/api/search").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"topK\": 3}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("query is missing"));
        http.post().uri("/api/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"x\", \"filters\": {\"year\": {\"after\": 1}}}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("filters.year.after is not a range bound"));
        // found by ChatRequestFuzzTest (finding-in-list-of-mixed-types): this was a 500
        http.post().uri("/api/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"x\", \"filters\": {\"tags\": [5, \"five\"]}}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("filters.tags mixes values of different types"));
        http.get().uri("/api/documents").header(TENANT, "../etc").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("Tenant '../etc' is not valid"));
    }

    private WebTestClient.ResponseSpec postFiles(Map<String, byte[]> files, String metadata) {
        return http.post().uri("/api/ingest").header(TENANT, newTenant())
                .body(BodyInserters.fromMultipartData(multipart(files, metadata)))
                .exchange();
    }

    /** Reads the status line, headers and a body of Content-Length bytes. */
    private static String readResponse(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = headers.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
