package dev.hanul.ingest;

/**
 * The 202 answer to an ingest request: the job runs in the background; poll {@code status}.
 *
 * @param status the path of the job's status, {@code GET /api/ingest/jobs/{jobId}}
 */
public record JobAccepted(String jobId, String tenant, int documents, String status) {

    static JobAccepted of(IngestionJob job) {
        return new JobAccepted(job.id(), job.tenant(), job.documentCount(), "/api/ingest/jobs/" + job.id());
    }
}
