package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.ingest.text.FormatSamples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/**
 * An e-mail sent to {@code POST /api/ingest} becomes two documents: the message, with its subject, sender, recipients
 * and date as metadata, and its attachment as a document of its own that names the message as its parent; a search
 * for the attachment's content finds the attachment, not the mail.
 */
class MailAttachmentsIngestTest extends IngestTestSupport {

    @Test
    void anAttachmentIsADocumentLinkedToItsMessage() {
        String tenant = newTenant();
        JobView job = awaitJob(tenant, upload(tenant, Map.of("budget.eml", FormatSamples.eml("2027 budget draft",
                "Kim Minji <minji@example.com>", "team@example.com", "Please review the draft by Friday.",
                "travel.csv", "Item,Change\nTravel costs,+8 percent\n")), null));
        assertThat(job.errors()).isEmpty();

        List<Map<String, Object>> documents = documents(tenant);
        assertThat(documents).extracting(document -> document.get("source"))
                .containsExactlyInAnyOrder("budget.eml", "budget.eml/travel.csv");
        Map<String, Object> message = bySource(documents, "budget.eml");
        Map<String, Object> attachment = bySource(documents, "budget.eml/travel.csv");
        assertThat(metadata(message)).containsEntry("subject", "2027 budget draft")
                .containsEntry("to", "team@example.com").containsKey("date");
        assertThat((String) metadata(message).get("from")).contains("minji@example.com");
        assertThat(metadata(attachment)).containsEntry("parentDocumentId", message.get("documentId"));
        assertThat(attachment.get("mediaType")).isEqualTo("text/csv");

        List<Map<String, Object>> hits = search(tenant, searchJson("travel costs change", "bm25"));
        assertThat(hits.getFirst().get("source")).isEqualTo("budget.eml/travel.csv");
        assertThat((String) hits.getFirst().get("text")).contains("Item: Travel costs | Change: +8 percent");
    }

    private List<Map<String, Object>> documents(String tenant) {
        Map<String, Object> page = http.get().uri("/api/documents").header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> documents = (List<Map<String, Object>>) page.get("documents");
        return documents;
    }

    private static Map<String, Object> bySource(List<Map<String, Object>> documents, String source) {
        return documents.stream().filter(document -> source.equals(document.get("source"))).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> document) {
        return (Map<String, Object>) document.get("metadata");
    }
}
