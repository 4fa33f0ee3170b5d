package dev.hanul.openai;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.chat.OfficeDocuments;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** Documents for the RAG chat completion tests, ingested over HTTP into a tenant of each test's own. */
final class RagDocuments {

    private RagDocuments() {
    }

    /** Ingests the office documents into a new tenant, waits until they are indexed, and returns the tenant. */
    static String ingestOffice(OpenAiHttp http) {
        String tenant = newTenant();
        HttpResponse<String> accepted = http.post("/api/ingest/text", OfficeDocuments.JSON, "X-Tenant-Id",
                tenant);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = OpenAiHttp.json(accepted.body()).get("jobId").asString();
        JsonNode job = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> OpenAiHttp.json(http.get("/api/ingest/jobs/" + jobId, "X-Tenant-Id", tenant).body()),
                        j -> j.hasNonNull("finishedAt"));
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        return tenant;
    }
}
