package dev.hanul.ingest;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the tests that kill a service mid-ingest send and poll: documents of about 3 KB, several chunks each, every
 * one with a word found in no other document ({@code marker<i>}), and the job's state as the API reports it.
 */
final class MarkedDocuments {

    private MarkedDocuments() {
    }

    /** The body of {@code POST /api/ingest} with documents {@code doc-0} to {@code doc-<count-1>}. */
    static String json(int count, String topic) {
        var json = new StringBuilder("{\"documents\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"doc-").append(i).append("\", \"text\": \"");
            for (int s = 0; s < 40; s++) {
                json.append("Sentence ").append(s).append(" of document ").append(i).append(" talks about ")
                        .append(topic).append(". ");
            }
            json.append("The unique word is marker").append(i).append(".\"}");
        }
        return json.append("]}").toString();
    }

    static JobView job(WebTestClient http, String tenant, String jobId) {
        return http.get().uri("/api/ingest/jobs/{id}", jobId).header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody();
    }
}
