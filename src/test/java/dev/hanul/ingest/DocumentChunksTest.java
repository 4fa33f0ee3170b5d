package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/**
 * {@code GET /api/documents/{id}/chunks}: a document's chunks with the text the index holds, at the offsets that
 * citation spans use, so the web UI can show a cited passage in its document.
 */
class DocumentChunksTest extends IngestTestSupport {

    @Test
    void chunksComeInOrderWithTheirIndexedTextAtTheirOffsets() {
        String tenant = newTenant();
        String text = IntStream.range(0, 120).mapToObj(i -> "Sentence " + i + " tells of harbour number " + i
                + " and the ships that sail from it.").collect(Collectors.joining(" "));
        awaitJob(tenant, ingestText(tenant, """
                {"documents": [{"id": "harbours", "source": "harbours.txt", "text": "%s"}]}""".formatted(text)));

        List<DocumentChunk> chunks = chunks(tenant, "harbours");

        assertThat(chunks.size()).as("a long document has several chunks").isGreaterThan(2);
        assertThat(chunks).extracting(DocumentChunk::ordinal)
                .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks.getFirst().start()).isZero();
        assertThat(chunks.getFirst().text()).startsWith("Sentence 0 tells");
        assertThat(chunks.getLast().text()).endsWith("Sentence 119 tells of harbour number 119 and the ships that "
                + "sail from it.");
        for (int i = 0; i < chunks.size(); i++) {
            DocumentChunk chunk = chunks.get(i);
            assertThat(chunk.chunkId()).isEqualTo("harbours#" + i);
            assertThat(chunk.text()).as("chunk %d spans its offsets", i).hasSize(chunk.end() - chunk.start());
            assertThat(text).as("chunk %d is the document's text at its offsets", i)
                    .contains(chunk.text());
            assertThat(text.indexOf(chunk.text(), Math.max(0, chunk.start() - 8))).isEqualTo(chunk.start());
        }
        DocumentView document = http.get().uri("/api/documents/harbours").header(TENANT, tenant).exchange()
                .expectStatus().isOk().expectBody(DocumentView.class).returnResult().getResponseBody();
        assertThat(document.chunkCount()).isEqualTo(chunks.size());
    }

    @Test
    void anotherTenantsDocumentIsNotFound() {
        String tenant = newTenant();
        awaitJob(tenant, ingestText(tenant, """
                {"documents": [{"id": "private", "text": "Only this tenant reads this."}]}"""));
        assertThat(chunks(tenant, "private")).extracting(DocumentChunk::text)
                .containsExactly("Only this tenant reads this.");

        http.get().uri("/api/documents/private/chunks").header(TENANT, newTenant()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.message").value(m ->
                        assertThat((String) m).contains("No document 'private'"));
    }

    private List<DocumentChunk> chunks(String tenant, String id) {
        return http.get().uri("/api/documents/{id}/chunks", id).header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<DocumentChunk>>() { })
                .returnResult().getResponseBody();
    }
}
