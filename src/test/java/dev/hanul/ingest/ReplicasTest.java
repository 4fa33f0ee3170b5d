package dev.hanul.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.cli.HanulCommand;
import dev.hanul.engine.TestModels;
import dev.hanul.index.SolrCloudTestCluster;
import dev.hanul.replicas.HanulReplicas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import picocli.CommandLine;

/**
 * Hanul as stateless replicas (issue 19): three services in child JVMs on loopback share one PostgreSQL database
 * (metadata, jobs and their leases), the 3-node SolrCloud test cluster (the chunk index) and a staging directory,
 * behind a round-robin balancer. {@code bin/hanul bench load} runs through the balancer with no failed request; a
 * job ingested through one replica is read, searched and chatted about through the others; that replica is killed
 * (SIGKILL) mid-job, and another one takes the job over when the lease lapses and finishes it.
 *
 * <p>Needs a PostgreSQL server ({@code HANUL_TEST_POSTGRES_URL}; .ci/run starts a throw-away one from Debian's
 * postgresql package), the SolrCloud test cluster ({@code scripts/solrcloud-cluster.sh}) and stories260K as the chat
 * model; skipped with the reason when any is missing.
 */
class ReplicasTest {

    private static final int REPLICAS = 3;
    private static final int DOCUMENTS = 24;
    private static final int BENCH_REQUESTS = 60;
    private static final String TENANT = "replicas";
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration BENCH_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void replicasShareTheWorkAndAJobSurvivesTheKillOfItsReplica() throws Exception {
        var server = HanulReplicas.Postgres.fromEnvironment();
        Path model = TestModels.require(TestModels.STORIES);
        SolrCloudTestCluster cluster = SolrCloudTestCluster.get();
        String collection = cluster.newCollection("replicas").collection();
        var database = server.createDatabase("hanul_replicas");

        Path staging = Files.createDirectories(work.resolve("shared-staging"));
        List<Process> replicas = new ArrayList<>();
        List<URI> urls = new ArrayList<>();
        try {
            for (int i = 0; i < REPLICAS; i++) {
                urls.add(HanulReplicas.freeAddress());
            }
            // The first replica alone creates the schema, the collection and the registry rows; the others then
            // start together. (Concurrent first starts of the registry are not what this test is about.)
            for (List<Integer> wave : List.of(List.of(0), List.of(1, 2))) {
                for (int i : wave) {
                    replicas.add(start(i, urls.get(i).getPort(), model, database, cluster, collection, staging));
                }
                for (int i : wave) {
                    HanulReplicas.awaitReady(replicas.get(i), work, i, urls.get(i));
                }
            }
            try (var balancer = new RoundRobinBalancer(urls)) {
                benchLoadAcrossTheReplicas(balancer, urls.getFirst());
                ingestKillAndFinishElsewhere(replicas, urls, balancer, database);
            }
        } finally {
            HanulReplicas.killAll(replicas);
            cluster.deleteCollection(collection);
            database.drop(server);
        }
    }

    /**
     * {@code bin/hanul bench load} through a balancer in front of one replica, then through the balancer across the
     * three, side by side in one run after a warm-up of all three: not one request may fail, and every replica serves
     * its share.
     */
    private static void benchLoadAcrossTheReplicas(RoundRobinBalancer balancer, URI oneReplica) throws Exception {
        benchLoad(balancer, "warm-up of the three replicas");
        try (var single = new RoundRobinBalancer(List.of(oneReplica))) {
            benchLoad(single, "one replica through the balancer");
        }
        benchLoad(balancer, "three replicas through the balancer");
        System.out.println("Requests per replica: " + balancer.served());
        assertThat(balancer.served()).as("requests per replica").hasSize(REPLICAS)
                .allSatisfy((replica, count) -> assertThat(count).isGreaterThanOrEqualTo(BENCH_REQUESTS / REPLICAS));
    }

    /**
     * Fails, rather than hangs, when a round outlasts {@link #BENCH_TIMEOUT} (stories260K answers 60 requests in
     * seconds): once a streamed chat never ended; the failure then lists the responses still being relayed.
     */
    private static void benchLoad(RoundRobinBalancer balancer, String what) throws Exception {
        var out = new StringWriter();
        // As bin/hanul parses it (HanulCommand.commandLine): enum values in any case.
        var run = new FutureTask<>(() -> new CommandLine(new HanulCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(out, true))
                .execute("bench", "load", "--url", balancer.uri().toString(), "--concurrency", "12",
                        "--requests", Integer.toString(BENCH_REQUESTS), "--max-tokens", "64",
                        "--prompt", "Once upon a time"));
        // A daemon thread: a round stuck on a response must not keep the test (or the JVM) waiting for it.
        Thread.ofPlatform().daemon().name("bench-load").start(run);
        int status;
        try {
            status = run.get(BENCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new AssertionError("bench load, %s, still running after %s; responses still being relayed:%n%s%n"
                    .formatted(what, BENCH_TIMEOUT, balancer.inFlight()) + "its output so far:\n" + out, e);
        }
        System.out.println("bench load, " + what + ":\n" + out);
        assertThat(status).as("bench load on %s: exit status (1 = a request failed):%n%s", what, out).isZero();
    }

    private void ingestKillAndFinishElsewhere(List<Process> replicas, List<URI> urls, RoundRobinBalancer balancer,
            HanulReplicas.Postgres database) throws Exception {
        WebTestClient first = HanulReplicas.client(urls.getFirst());
        WebTestClient anyReplica = HanulReplicas.client(balancer.uri());
        String jobId = first.post().uri("/api/ingest/text").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MarkedDocuments.json(DOCUMENTS, "replicas sharing one job")).exchange()
                .expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
        // Progress read through the balancer: any replica answers for a job another one runs.
        JobView midway = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> MarkedDocuments.job(anyReplica, TENANT, jobId),
                        job -> job.progress().indexedDocuments() >= 2);
        long killed = System.nanoTime();
        replicas.getFirst().destroyForcibly(); // SIGKILL
        assertThat(replicas.getFirst().waitFor(60, TimeUnit.SECONDS)).isTrue();
        JobView atKill = MarkedDocuments.job(anyReplica, TENANT, jobId);
        assertThat(atKill.progress().done()).as("the kill landed before the job finished").isLessThan(DOCUMENTS);
        Set<String> indexedBeforeKill = atKill.documents().stream().filter(e -> e.status().equals("INDEXED"))
                .map(JobView.Entry::documentId).collect(Collectors.toSet());
        assertThat(midway.progress().indexedDocuments()).isLessThanOrEqualTo(indexedBeforeKill.size());

        JobView finished = Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> MarkedDocuments.job(anyReplica, TENANT, jobId), job -> job.finishedAt() != null);
        System.out.printf("Replica 0 killed with %d of %d documents indexed; the job finished on the others %.1f s "
                + "later (lease %s)%n", indexedBeforeKill.size(), DOCUMENTS, (System.nanoTime() - killed) / 1e9,
                LEASE);
        assertThat(finished.status()).as("errors: %s", finished.errors()).isEqualTo("COMPLETED");
        assertThat(finished.progress().indexedDocuments()).isEqualTo(DOCUMENTS);

        Map<String, String> owners = owners(database, jobId);
        assertThat(owners).hasSize(DOCUMENTS);
        owners.forEach((documentId, owner) -> {
            if (!indexedBeforeKill.contains(documentId)) {
                assertThat(owner).as("replica that finished %s", documentId).isIn("replica-1", "replica-2");
            }
        });

        // Search and chat through the survivors (the balancer passes over the dead replica).
        Map<URI, Integer> before = balancer.served();
        for (int i = 0; i < DOCUMENTS; i++) {
            List<Map<String, Object>> hits = search(anyReplica, "marker" + i);
            assertThat(hits).as("marker%d", i).isNotEmpty();
            assertThat(hits.getFirst().get("documentId")).as("marker%d", i).isEqualTo("doc-" + i);
        }
        // stories260K reads a 512-token window with a 512-word vocabulary: the long documents above do not fit in
        // its prompt as sources, so the chat asks about a short one, ingested through the survivors.
        String shortJob = anyReplica.post().uri("/api/ingest/text").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"documents": [{"id": "lighthouse", "text": "The lighthouse keeper counts ships at dawn."}]}""")
                .exchange().expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
        assertThat(Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> MarkedDocuments.job(anyReplica, TENANT, shortJob), job -> job.finishedAt() != null)
                .status())
                .isEqualTo("COMPLETED");
        Map<String, Object> answer = anyReplica.post().uri("/api/chat").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"messages": [{"role": "user", "content": "Who counts ships at dawn?"}],
                         "sampling": {"maxTokens": 8}, "stream": false}""")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> citations = (List<Map<String, Object>>) answer.get("citations");
        assertThat(citations).as("answer %s", answer).extracting(c -> c.get("documentId")).contains("lighthouse");
        Map<URI, Integer> after = balancer.served();
        for (int i = 1; i < REPLICAS; i++) {
            assertThat(after.getOrDefault(urls.get(i), 0)).as("searches and chats replica %d answered", i)
                    .isGreaterThan(before.getOrDefault(urls.get(i), 0));
        }
    }

    private Process start(int replica, int port, Path model, HanulReplicas.Postgres database,
            SolrCloudTestCluster cluster, String collection, Path staging) throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
                "--hanul.model.offline=true", "--hanul.model.path=" + model.toAbsolutePath(),
                "--hanul.model.threads=1"));
        arguments.addAll(database.serviceArguments());
        arguments.addAll(List.of(
                "--hanul.index.backend=solrcloud",
                "--hanul.index.solrcloud.nodes=" + cluster.nodes().stream().map(URI::toString)
                        .collect(Collectors.joining(",")),
                "--hanul.index.solrcloud.collection=" + collection,
                "--hanul.ingest.staging-dir=" + staging, "--hanul.ingest.replica-id=replica-" + replica,
                "--hanul.ingest.lease=" + LEASE,
                // One document at a time, embedded a few chunks at a time: the kill lands mid-job.
                "--hanul.ingest.workers=1", "--hanul.ingest.embed-batch-size=2"));
        return HanulReplicas.start(work, replica, port, arguments);
    }

    private static List<Map<String, Object>> search(WebTestClient http, String query) {
        Map<String, Object> response = http.post().uri("/api/search").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"" + query + "\", \"mode\": \"bm25\", \"topK\": 3}")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hits = (List<Map<String, Object>>) response.get("hits");
        return hits;
    }

    /** The replica holding each entry's lease (the one that finished it), by document id, from the database. */
    private static Map<String, String> owners(HanulReplicas.Postgres database, String jobId) throws SQLException {
        try (Connection connection = database.connect();
             var query = connection.prepareStatement(
                     "SELECT document_id, lease_owner FROM job_document WHERE job_id = ?")) {
            query.setString(1, jobId);
            var owners = new HashMap<String, String>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    owners.put(rows.getString(1), rows.getString(2));
                }
            }
            return owners;
        }
    }
}
