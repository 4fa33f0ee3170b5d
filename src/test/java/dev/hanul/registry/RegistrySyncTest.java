package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelProperties;
import dev.hanul.inference.ModelState.Phase;
import dev.hanul.remote.RemoteServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;

/**
 * Two registries on one database, as two replicas: the service's own (changed through its admin API) and a second
 * one in the same JVM with its own store and engines, which follows through {@link RegistrySync} (called by the
 * test, not by a timer, so every step is a sync). The H2 database of the test context is the shared one.
 */
class RegistrySyncTest extends RegistryService {

    @Autowired
    R2dbcEntityTemplate database;
    @Autowired
    VersionFiles files;
    @Autowired
    ModelProperties modelProperties;
    @Autowired
    RegistryProperties properties;
    @Autowired
    LoraProperties lora;
    @Autowired
    RemoteServers remotes;

    private ModelRegistry replica;
    private RegistrySync sync;

    @BeforeEach
    void startASecondReplica() {
        var own = new RegistryProperties(properties.memoryBudget(), properties.drainGrace(), properties.warmTokens(),
                Duration.ZERO);
        var store = new RegistryStore(database);
        replica = new ModelRegistry(store, files, modelProperties, own, new VersionMetrics(new SimpleMeterRegistry()),
                lora, remotes);
        replica.start();
        sync = new RegistrySync(replica, store, own);
        sync.start(); // no timer with a zero interval: the test syncs by hand
    }

    @AfterEach
    void stopIt() {
        replica.stop();
    }

    @Test
    void aliasMovesAndLoadsMadeThroughOneReplicaReachTheOther() {
        String first = registerAndLoad("synced", copy(TestModels.STORIES, "synced-first"));
        expect(200, put("/api/admin/models/aliases/synced", "{\"version\": \"%s\"}".formatted(first)));
        // Until the replica has the alias, "synced" is only a model's name there, with no version ready yet.
        followUntil(() -> servedByReplica("synced").equals(first), true);
        assertThat(replica.state(first).phase()).isEqualTo(Phase.READY);

        // The second version loads on the other replica too (the load is repeated there), and the alias moves
        // there only once it is READY there: until then every request the replica routes goes to the first.
        String second = registerAndLoad("synced", copy(TestModels.TINY_RANDOM, "synced-second"));
        expect(200, put("/api/admin/models/aliases/synced", "{\"version\": \"%s\"}".formatted(second)));
        List<String> servedMeanwhile = new ArrayList<>();
        followUntil(() -> {
            String served = servedByReplica("synced");
            servedMeanwhile.add(served);
            return served.equals(second);
        }, false);
        assertThat(servedMeanwhile).allMatch(id -> id.equals(first) || id.equals(second));
        // No alias needs the first version any more: it drains and unloads there as here.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> replica.state(first).phase() == Phase.UNLOADED);

        // A load and an unload of a version no alias names are repeated on the other replica.
        String spare = registerAndLoad("synced", copy(TestModels.TINY_RANDOM, "synced-spare"));
        followUntil(() -> replica.state(spare).phase() == Phase.READY, false);
        expect(202, post("/api/admin/models/synced/versions/3/unload", ""));
        followUntil(() -> replica.state(spare).phase() == Phase.UNLOADED, false);
        // Loaded and unloaded there before this replica looked: it loads it, then drains it once it is loaded (a
        // version here reaches UNLOADED only from READY, through DRAINING).
        String brief = registerAndLoad("synced", copy(TestModels.TINY_RANDOM, "synced-brief"));
        expect(202, post("/api/admin/models/synced/versions/4/unload", ""));
        followUntil(() -> replica.state(brief).phase() == Phase.UNLOADED, false);

        // The follower recorded nothing: the history holds each change once, as made through the admin API.
        sync.syncNow();
        assertThat(registry.changes("synced", 100)).extracting(RegistryChange::action)
                .containsExactly(RegistryChange.Action.ALIAS_MOVE, RegistryChange.Action.ALIAS_CREATE);
        assertThat(registry.changes(spare, 100)).extracting(RegistryChange::action)
                .containsExactly(RegistryChange.Action.UNLOAD, RegistryChange.Action.LOAD,
                        RegistryChange.Action.REGISTER);
    }

    @Test
    void aCanarySplitReachesTheOtherReplicaWithItsWeights() {
        String stable = registerAndLoad("split", copy(TestModels.STORIES, "split-stable"));
        String candidate = registerAndLoad("split", copy(TestModels.TINY_RANDOM, "split-candidate"));
        expect(200, put("/api/admin/models/aliases/split", "{\"version\": \"%s\"}".formatted(stable)));
        expect(200, put("/api/admin/models/aliases/split/canary", "{\"version\": \"%s\", \"weight\": 30}"
                .formatted(candidate)));
        followUntil(() -> replica.alias("split").map(Alias::targetsText).orElse("")
                .equals(stable + "=70," + candidate + "=30"), false);
        // The same routing key lands on the same version on both replicas (the split is sticky per key).
        for (int i = 0; i < 50; i++) {
            String key = "conversation-" + i;
            assertThat(replica.route("split", key).primary().id()).as(key)
                    .isEqualTo(registry.route("split", key).primary().id());
        }
    }

    @Test
    void twoMovesBetweenTwoSyncsLeaveNoVersionLoadedThatNoAliasNeeds() {
        String passing = registerAndLoad("quick", copy(TestModels.STORIES, "quick-passing"));
        String last = registerAndLoad("quick", copy(TestModels.TINY_RANDOM, "quick-last"));
        expect(200, put("/api/admin/models/aliases/quick", "{\"version\": \"%s\"}".formatted(passing)));
        expect(200, put("/api/admin/models/aliases/quick", "{\"version\": \"%s\"}".formatted(last)));
        awaitPhase(passing, Phase.UNLOADED);
        // The replica never sees the alias on the passing version, but it loaded that (the load was repeated).
        followUntil(() -> servedByReplica("quick").equals(last)
                && replica.state(passing).phase() == Phase.UNLOADED, true);
    }

    private String servedByReplica(String alias) {
        return replica.route(alias, null).primary().id();
    }

    /**
     * Syncs the second replica until {@code done}, as its timer would.
     *
     * @param notReadyYet whether routing may refuse meanwhile (the alias not there yet); otherwise it fails the test
     */
    private void followUntil(java.util.concurrent.Callable<Boolean> done, boolean notReadyYet) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> notReadyYet && e instanceof dev.hanul.inference.InferenceFailure)
                .until(() -> {
                    sync.syncNow();
                    return done.call();
                });
    }
}
