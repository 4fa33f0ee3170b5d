package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Leases on job entries in one process (the embedded database): an entry whose lease lapsed, as a dead replica
 * leaves it, is taken over by this replica and processed; an entry another live replica holds is left alone. The rows
 * are written as another replica would have written them, with the upload in the staging directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/ingest-leases", "hanul.ingest.lease=2s"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class IngestionLeaseTest {

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient database;

    @Autowired
    DocumentStaging staging;

    @Autowired
    ReplicaIdentity replica;

    @Test
    void aLapsedLeaseIsTakenOverAndAHeldOneIsLeftAlone() throws IOException {
        String tenant = newTenant();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String lapsed = job(tenant, "lapsed", "dead-replica", now.minusMinutes(1),
                "The lighthouse keeper wrote down every storm that passed the cape.");
        String held = job(tenant, "held", "live-replica", now.plusHours(1),
                "The harbour master counts the ships that sail at dawn.");

        JobView finished = Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> view(tenant, lapsed), job -> job.finishedAt() != null);
        assertThat(finished.status()).as("errors: %s", finished.errors()).isEqualTo("COMPLETED");
        assertThat(finished.progress().indexedDocuments()).isEqualTo(1);
        assertThat(owner(lapsed)).isEqualTo(replica.id());

        // Several lease periods (renewals and take-over rounds) later, the held entry is still the live replica's.
        Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .until(() -> view(tenant, held).documents().getFirst().status().equals("QUEUED"));
        assertThat(owner(held)).isEqualTo("live-replica");

        database.sql("DELETE FROM ingestion_job WHERE id = :id").bind("id", held).fetch().rowsUpdated().block();
    }

    /** A job of one text document, its lease held by {@code owner} until {@code expires}; answers the job id. */
    private String job(String tenant, String documentId, String owner, OffsetDateTime expires, String text)
            throws IOException {
        String jobId = UUID.randomUUID().toString();
        String staged = staging.newName("txt");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Files.write(staging.resolve(staged), bytes);
        OffsetDateTime created = OffsetDateTime.now(ZoneOffset.UTC);
        database.sql("INSERT INTO ingestion_job (id, tenant, document_count, created_at) "
                        + "VALUES (:id, :tenant, 1, :created)")
                .bind("id", jobId).bind("tenant", tenant).bind("created", created)
                .fetch().rowsUpdated().block();
        database.sql("INSERT INTO job_document (id, job_id, seq, tenant, document_id, source, media_type, "
                        + "content_hash, size_bytes, metadata, staged_file, status, chunks, embedded, indexed, "
                        + "updated_at, lease_owner, lease_expires_at) VALUES (:id, :job, 0, :tenant, :document, "
                        + ":source, 'text/plain', :hash, :size, '{}', :staged, 'QUEUED', 0, 0, 0, :created, "
                        + ":owner, :expires)")
                .bind("id", UUID.randomUUID().toString()).bind("job", jobId).bind("tenant", tenant)
                .bind("document", documentId).bind("source", documentId + ".txt")
                .bind("hash", HexFormat.of().formatHex(DocumentKey.digest().digest(bytes)))
                .bind("size", (long) bytes.length).bind("staged", staged).bind("created", created)
                .bind("owner", owner).bind("expires", expires)
                .fetch().rowsUpdated().block();
        return jobId;
    }

    private String owner(String jobId) {
        return database.sql("SELECT lease_owner FROM job_document WHERE job_id = :job").bind("job", jobId)
                .map(row -> row.get("lease_owner", String.class)).one().block();
    }

    private JobView view(String tenant, String jobId) {
        return http.get().uri("/api/ingest/jobs/{id}", jobId).header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody();
    }
}
