package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/** What a user does with the ingestion API, over real HTTP. */
class IngestApiTest extends IngestTestSupport {

    @Test
    void everySupportedFormatIsIngestedAndSearchFindsTheRightChunk() {
        String tenant = newTenant();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("otters.pdf", TestDocuments.pdf(List.of(
                "Sea otters hold hands while sleeping so they do not drift apart.",
                "Otters use stones as tools to crack open shellfish.")));
        files.put("volcano.docx", TestDocuments.docx("Volcanoes", List.of(
                "Mount Etna in Sicily is one of the most active volcanoes in the world.")));
        files.put("lighthouse.pptx", TestDocuments.pptx(List.of(
                "The Pharos of Alexandria was a lighthouse built in the third century BC.")));
        files.put("bread.html", """
                <html><head><title>Baking</title></head><body><h1>Sourdough</h1>
                <p>Sourdough bread rises with a starter of wild yeast and lactobacilli.</p></body></html>"""
                .getBytes(StandardCharsets.UTF_8));
        files.put("chess.md", "# Chess\n\nThe Sicilian Defence answers 1.e4 with c5.\n"
                .getBytes(StandardCharsets.UTF_8));
        files.put("kimchi.txt", "김치는 배추와 고춧가루로 담그는 한국의 전통 발효 음식입니다.".getBytes(StandardCharsets.UTF_8));

        JobView job = awaitJob(tenant, upload(tenant, files, "{\"collection\": \"trivia\", \"year\": 2026}"));

        assertThat(job.status()).isEqualTo("COMPLETED");
        assertThat(job.errors()).isEmpty();
        assertThat(job.progress().documents()).isEqualTo(6);
        assertThat(job.progress().indexedDocuments()).isEqualTo(6);
        assertThat(job.progress().chunks()).isGreaterThanOrEqualTo(6);
        assertThat(job.progress().embedded()).isEqualTo(job.progress().chunks());
        assertThat(job.progress().indexed()).isEqualTo(job.progress().chunks());
        assertThat(job.documents()).extracting(JobView.Entry::mediaType).contains(
                "application/pdf", "text/html", "text/x-web-markdown", "text/plain");

        assertTopSource(tenant, "why do otters hold hands when they sleep", "hybrid", "otters.pdf");
        assertTopSource(tenant, "active volcano in Sicily", "vector", "volcano.docx");
        assertTopSource(tenant, "ancient lighthouse of Alexandria", "hybrid", "lighthouse.pptx");
        assertTopSource(tenant, "sourdough starter yeast", "bm25", "bread.html");
        assertTopSource(tenant, "Sicilian Defence", "bm25", "chess.md");
        assertTopSource(tenant, "배추로 만든 발효 음식", "hybrid", "kimchi.txt");

        Map<String, Object> hit = search(tenant, "{\"query\": \"sea otters\", \"topK\": 1, "
                + "\"filters\": {\"collection\": \"trivia\", \"year\": {\"gte\": 2020}}}").getFirst();
        assertThat(hit).containsKeys("documentId", "chunkId", "text", "scores");
        assertThat(hit.get("text").toString()).contains("Sea otters hold hands");
        assertThat(search(tenant, "{\"query\": \"sea otters\", \"filters\": {\"year\": 1999}}")).isEmpty();
    }

    @Test
    void textDocumentsAreListedWithTheirMetadataAndChunks() {
        String tenant = newTenant();
        JobView job = awaitJob(tenant, ingestText(tenant, """
                {"metadata": {"team": "docs"},
                 "documents": [
                   {"id": "handbook", "source": "handbook.md", "text": "# Leave\\n\\nEmployees get 25 days of leave.",
                    "metadata": {"tags": ["hr", "policy"]}},
                   {"source": "faq.txt", "text": "The office opens at 9 am."}]}"""));
        assertThat(job.status()).isEqualTo("COMPLETED");

        http.get().uri("/api/documents").header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.documents[?(@.documentId == 'handbook')].metadata.team").isEqualTo("docs")
                .jsonPath("$.documents[?(@.documentId == 'handbook')].metadata.tags[1]").isEqualTo("policy")
                .jsonPath("$.documents[?(@.source == 'faq.txt')].mediaType").isEqualTo("text/plain");
        http.get().uri("/api/documents/handbook").header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.mediaType").isEqualTo("text/x-web-markdown")
                .jsonPath("$.chunkCount").isEqualTo(1)
                .jsonPath("$.chunks[0].chunkId").isEqualTo("handbook#0")
                .jsonPath("$.chunks[0].heading").isEqualTo("Leave");
        assertTopSource(tenant, "how many days of leave", "hybrid", "handbook.md");
    }

    @Test
    void tenantsNeverSeeEachOthersDocuments() {
        String owner = newTenant();
        String other = newTenant();
        String jobId = ingestText(owner, "{\"documents\": [{\"id\": \"secret\", \"text\": \"The launch code is "
                + "marmalade.\"}]}");
        awaitJob(owner, jobId);

        assertThat(search(other, searchJson("launch code marmalade", "hybrid"))).isEmpty();
        assertThat(search(owner, searchJson("launch code marmalade", "hybrid"))).isNotEmpty();
        http.get().uri("/api/documents/secret").header(TENANT, other).exchange().expectStatus().isNotFound();
        http.get().uri("/api/ingest/jobs/{id}", jobId).header(TENANT, other).exchange().expectStatus().isNotFound();
        http.delete().uri("/api/documents/secret").header(TENANT, other).exchange().expectStatus().isNotFound();
        http.get().uri("/api/documents?tenant=" + other).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        assertThat(search(owner, searchJson("launch code marmalade", "bm25"))).isNotEmpty();
    }

    @Test
    void reingestingTheSameContentChangesNothing() {
        String tenant = newTenant();
        String body = "{\"documents\": [{\"id\": \"same\", \"text\": \"Unchanging text about quartz crystals.\"}]}";
        awaitJob(tenant, ingestText(tenant, body));
        String indexedAt = document(tenant, "same").get("indexedAt").toString();

        JobView again = awaitJob(tenant, ingestText(tenant, body));

        assertThat(again.status()).isEqualTo("COMPLETED");
        assertThat(again.progress().unchangedDocuments()).isEqualTo(1);
        assertThat(again.progress().chunks()).isZero();
        assertThat(document(tenant, "same").get("indexedAt")).hasToString(indexedAt);
        assertThat(search(tenant, searchJson("quartz crystals", "bm25"))).hasSize(1);
    }

    @Test
    void changedContentReplacesTheOldChunks() {
        String tenant = newTenant();
        awaitJob(tenant, ingestText(tenant, "{\"documents\": [{\"source\": \"notes/plan.md\", "
                + "\"text\": \"" + "The old plan mentions zeppelins. ".repeat(60) + "\"}]}"));
        int oldChunks = ((Number) documentBySource(tenant, "notes/plan.md").get("chunkCount")).intValue();
        assertThat(oldChunks).isGreaterThan(1);

        awaitJob(tenant, ingestText(tenant, "{\"documents\": [{\"source\": \"notes/plan.md\", "
                + "\"text\": \"The new plan mentions submarines.\"}]}"));

        assertThat(documentBySource(tenant, "notes/plan.md").get("chunkCount")).isEqualTo(1);
        assertThat(search(tenant, searchJson("zeppelins", "bm25"))).isEmpty();
        assertThat(search(tenant, "{\"query\": \"plan\", \"mode\": \"bm25\", \"topK\": 50}")).hasSize(1);
    }

    @Test
    void deletingADocumentRemovesItsChunksFromSearch() {
        String tenant = newTenant();
        awaitJob(tenant, ingestText(tenant, "{\"documents\": [{\"id\": \"gone\", \"text\": \"Glaciers carve "
                + "fjords.\"}, {\"id\": \"kept\", \"text\": \"Rivers carve canyons.\"}]}"));

        http.delete().uri("/api/documents/gone").header(TENANT, tenant).exchange().expectStatus().isNoContent();

        assertThat(search(tenant, searchJson("carve", "bm25"))).extracting(hit -> hit.get("documentId"))
                .containsExactly("kept");
        http.get().uri("/api/documents/gone").header(TENANT, tenant).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("No document 'gone'"));
        http.delete().uri("/api/documents/gone").header(TENANT, tenant).exchange().expectStatus().isNotFound();
    }

    @Test
    void personalDataNeverReachesTheIndex() {
        String tenant = newTenant();
        awaitJob(tenant, ingestText(tenant, "{\"documents\": [{\"id\": \"contact\", \"text\": \"Call Jimin at "
                + "010-9876-5432 or write to jimin@example.com about the invoice.\"}]}"));
        String text = search(tenant, searchJson("invoice", "bm25")).getFirst().get("text").toString();
        assertThat(text).contains("[PHONE]").contains("[EMAIL]").doesNotContain("9876").doesNotContain("jimin@");
    }

    private void assertTopSource(String tenant, String query, String mode, String source) {
        List<Map<String, Object>> hits = search(tenant, searchJson(query, mode));
        assertThat(hits).as("hits for '%s' (%s)", query, mode).isNotEmpty();
        assertThat(hits.getFirst().get("source")).as("top hit for '%s' (%s)", query, mode).isEqualTo(source);
    }

    private Map<String, Object> document(String tenant, String id) {
        return http.get().uri("/api/documents/{id}", id).header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    private Map<String, Object> documentBySource(String tenant, String source) {
        return document(tenant, DocumentKey.fromSource(source));
    }
}
