package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** Documents for the RAG chat completion tests, ingested over HTTP into a tenant of each test's own. */
final class RagDocuments {

    /** Three short documents; only the cafeteria one says what is served on Wednesdays. */
    static final String OFFICE = """
            {"documents": [
              {"id": "cafeteria", "source": "cafeteria.txt",
               "text": "The Hanul office cafeteria serves bibimbap on Wednesdays."},
              {"id": "parking", "source": "parking.txt",
               "text": "Visitors park in the underground garage on level B2."},
              {"id": "library", "source": "library.txt",
               "text": "The company library lends books for three weeks."}]}""";

    static final String CAFETERIA_QUESTION = "What does the cafeteria serve on Wednesdays?";

    private RagDocuments() {
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID();
    }

    /** Ingests the office documents into a new tenant, waits until they are indexed, and returns the tenant. */
    static String ingestOffice(OpenAiHttp http) {
        String tenant = newTenant();
        HttpResponse<String> accepted = http.post("/api/ingest/text", OFFICE, "X-Tenant-Id", tenant);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = OpenAiHttp.json(accepted.body()).get("jobId").asString();
        JsonNode job = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> OpenAiHttp.json(http.get("/api/ingest/jobs/" + jobId, "X-Tenant-Id", tenant).body()),
                        j -> j.hasNonNull("finishedAt"));
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        return tenant;
    }
}
