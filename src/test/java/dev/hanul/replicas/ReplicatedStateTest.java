package dev.hanul.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What replicas share besides ingestion (issue 19): three services in child JVMs on one PostgreSQL database, with
 * authentication on. An alias moved through replica 0's admin API is served by replicas 1 and 2 within the registry's
 * sync interval plus the new version's load there, with no request refused meanwhile; a key revoked through one
 * replica is refused by the others on its very next request; a key's requests per minute are counted across the
 * replicas (its buckets and usage are in PostgreSQL). Each replica keeps its embedded index: no document is
 * involved here.
 *
 * <p>Needs a PostgreSQL server ({@code HANUL_TEST_POSTGRES_URL}), stories260K and llama-2-tiny-random; skipped with
 * the reason when any is missing.
 */
class ReplicatedStateTest {

    private static final int REPLICAS = 3;
    private static final String ADMIN_KEY = "replicated-state-test-admin-key-0123456789";
    private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    @Test
    void aliasMovesAndKeyRevocationsReachEveryReplica() throws Exception {
        var server = HanulReplicas.Postgres.fromEnvironment();
        Path stories = TestModels.require(TestModels.STORIES);
        Path tiny = Files.copy(TestModels.require(TestModels.TINY_RANDOM), work.resolve("tiny.gguf"),
                StandardCopyOption.REPLACE_EXISTING);
        var database = server.createDatabase("hanul_state");
        List<Process> replicas = new ArrayList<>();
        List<WebTestClient> clients = new ArrayList<>();
        try {
            List<URI> urls = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                urls.add(HanulReplicas.freeAddress());
                clients.add(HanulReplicas.client(urls.get(i)));
            }
            // All three start together on the empty database: Flyway's lock lets one create the schema, and the
            // replicas that lose the race to register the configured model use the winner's rows.
            for (int i = 0; i < REPLICAS; i++) {
                List<String> arguments = new ArrayList<>(List.of("--hanul.model.offline=true",
                        "--hanul.model.path=" + stories.toAbsolutePath(), "--hanul.model.threads=1",
                        "--hanul.security.enabled=true", "--hanul.security.admin-key=" + ADMIN_KEY,
                        "--hanul.registry.sync-interval=" + SYNC_INTERVAL.toMillis() + "ms",
                        "--hanul.ingest.replica-id=replica-" + i));
                arguments.addAll(database.serviceArguments());
                replicas.add(HanulReplicas.start(work, i, urls.get(i).getPort(), arguments));
            }
            for (int i = 0; i < REPLICAS; i++) {
                HanulReplicas.awaitReady(replicas.get(i), work, i, urls.get(i));
            }
            anAliasMovedThroughOneReplicaIsServedByAll(clients, tiny);
            aKeyRevokedThroughOneReplicaIsRefusedByAll(clients);
            aKeysRateLimitIsCountedAcrossTheReplicas(clients);
        } finally {
            HanulReplicas.killAll(replicas);
            database.drop(server);
        }
    }

    private static void anAliasMovedThroughOneReplicaIsServedByAll(List<WebTestClient> replicas, Path tiny) {
        WebTestClient first = replicas.getFirst();
        String stable = admin(first.get().uri("/api/admin/models/aliases/default")).at("/targets/0/version")
                .asString();
        admin(first.put().uri("/api/admin/models/aliases/story").bodyValue(Map.of("version", stable)));
        // Replicas 1 and 2 answer 404 (no such model) until they have read the new alias.
        Map<Integer, String> stableAnswers = awaitEveryReplica(replicas, "story", null, true);
        String stableAnswer = stableAnswers.get(0);
        assertThat(stableAnswers.values()).as("the same version answers on every replica").containsOnly(stableAnswer);

        // A second version, loaded through replica 0 only, then the alias moved there through replica 0.
        JsonNode registered = admin(first.post().uri("/api/admin/models/tiny/versions")
                .bodyValue(Map.of("source", Map.of("path", tiny.toString()))));
        String candidate = registered.get("id").asString();
        admin(first.post().uri("/api/admin/models/tiny/versions/1/load"));
        Awaitility.await(candidate + " READY on replica 0").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> admin(first.get().uri("/api/admin/models/tiny/versions/1")).at("/state/phase").asString(),
                        "READY"::equals);
        String candidateAnswer = answer(first, candidate);
        assertThat(candidateAnswer).as("the two versions answer differently").isNotEqualTo(stableAnswer);

        long moved = System.nanoTime();
        admin(first.put().uri("/api/admin/models/aliases/story").bodyValue(Map.of("version", candidate)));
        assertThat(answer(first, "story")).as("replica 0 at once").isEqualTo(candidateAnswer);
        Map<Integer, String> afterMove = awaitEveryReplica(replicas, "story", answer -> {
            // Meanwhile every request is answered, by the version before or after the move.
            assertThat(answer).isIn(stableAnswer, candidateAnswer);
            return answer.equals(candidateAnswer);
        }, false);
        System.out.printf("Alias moved through replica 0; every replica served the new version %.1f s later "
                + "(sync interval %s; each loads the version itself)%n", (System.nanoTime() - moved) / 1e9,
                SYNC_INTERVAL);
        assertThat(afterMove.values()).containsOnly(candidateAnswer);
        for (int i = 1; i < replicas.size(); i++) {
            JsonNode alias = admin(replicas.get(i).get().uri("/api/admin/models/aliases/story"));
            assertThat(alias.at("/targets/0/version").asString()).as("replica %d's alias", i).isEqualTo(candidate);
        }
    }

    private static void aKeyRevokedThroughOneReplicaIsRefusedByAll(List<WebTestClient> replicas) {
        JsonNode created = admin(replicas.getFirst().post().uri("/api/admin/keys")
                .bodyValue(Map.of("name", "replicated", "role", "user")));
        String key = created.get("key").asString();
        String id = created.at("/details/id").asString();
        for (WebTestClient replica : replicas) {
            replica.get().uri("/v1/models").header("Authorization", "Bearer " + key).exchange()
                    .expectStatus().isOk();
        }
        admin(replicas.get(1).delete().uri("/api/admin/keys/" + id));
        for (int i = 0; i < replicas.size(); i++) {
            replicas.get(i).get().uri("/v1/models").header("Authorization", "Bearer " + key).exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    private static void aKeysRateLimitIsCountedAcrossTheReplicas(List<WebTestClient> replicas) {
        JsonNode created = admin(replicas.getFirst().post().uri("/api/admin/keys")
                .bodyValue(Map.of("name", "limited", "role", "user", "requestsPerMinute", 3)));
        String key = created.get("key").asString();
        for (WebTestClient replica : replicas) {
            replica.get().uri("/v1/models").header("Authorization", "Bearer " + key).exchange()
                    .expectStatus().isOk();
        }
        // The fourth request of the minute, whichever replica it reaches.
        for (WebTestClient replica : replicas) {
            replica.get().uri("/v1/models").header("Authorization", "Bearer " + key).exchange()
                    .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
        }
        JsonNode usage = admin(replicas.get(1).get().uri("/api/admin/keys/" + created.at("/details/id").asString()))
                .get("usage");
        assertThat(usage.get("requests").asLong()).as("usage %s", usage).isEqualTo(3);
        assertThat(usage.get("rejected").asLong()).as("usage %s", usage).isEqualTo(REPLICAS);
    }

    /**
     * Asks every replica for the greedy completion of {@code alias} until {@code done} holds for each (null: any
     * answer); returns the answers by replica.
     *
     * @param refusedMeanwhile whether a replica may refuse the request meanwhile; otherwise a refusal fails the test
     */
    private static Map<Integer, String> awaitEveryReplica(List<WebTestClient> replicas, String alias,
                                                         java.util.function.Predicate<String> done,
                                                         boolean refusedMeanwhile) {
        Map<Integer, String> answers = new HashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            WebTestClient replica = replicas.get(i);
            answers.put(i, Awaitility.await("replica " + i + " serving " + alias).atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptionsMatching(e -> refusedMeanwhile)
                    .until(() -> answer(replica, alias), answer -> done == null || done.test(answer)));
        }
        return answers;
    }

    /** The greedy completion of a fixed prompt by {@code model}; fails on any status but 200. */
    private static String answer(WebTestClient replica, String model) {
        String body = replica.post().uri("/v1/completions").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\": \"%s\", \"prompt\": \"Once upon a time\", \"max_tokens\": 6, \"temperature\": 0}"
                        .formatted(model))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body).at("/choices/0/text").asString();
    }

    private static JsonNode admin(WebTestClient.RequestHeadersSpec<?> request) {
        String body = request.header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().is2xxSuccessful().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }
}
