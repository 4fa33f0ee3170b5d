package dev.hanul.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this replica's registry the same as the database's when several replicas share it: every {@code
 * hanul.registry.sync-interval} it reads the registry's tables and applies what other replicas changed. Versions
 * registered elsewhere become known; an alias moved, split, rolled back or given a shadow elsewhere moves here too,
 * once the versions it needs are loaded here (engines stay per replica), and the versions no alias needs any more
 * drain and unload; loads and unloads made through another replica's admin API are repeated here.
 *
 * <p>Aliases and versions are compared as a whole with the stored rows (two small tables), so a change is never
 * missed, whatever order replicas commit in, and this replica's own changes are already equal to what is stored.
 * Loads and unloads are events rather than state (a version's stored phase is whatever replica wrote it last), so
 * they are read from the change history: every change stamped within the last {@link #JOURNAL_WINDOW} that this
 * process neither recorded nor applied already. The window covers commits that land late and replicas' clocks that
 * differ by less than it.
 */
@Component
class RegistrySync implements SmartLifecycle {

    static final Duration JOURNAL_WINDOW = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(RegistrySync.class);

    private final ModelRegistry registry;
    private final RegistryStore store;
    private final Duration interval;
    /** The changes of the window applied or skipped already, with their stamps (to forget them after it). */
    private final Map<String, Instant> seen = new HashMap<>();
    /** Stored aliases whose versions this replica started loading, by name: not started again while they load. */
    private final Map<String, ModelAlias> awaited = new HashMap<>();
    /** Versions that alias changes made elsewhere moved away from: drained once no alias here waits for a load. */
    private final Set<String> movedAwayFrom = new HashSet<>();
    /** Versions unloaded elsewhere while they still load here: drained here once loaded. */
    private final Set<String> unloadsAwaited = new HashSet<>();
    private ScheduledExecutorService timer;
    private boolean failing;

    RegistrySync(ModelRegistry registry, RegistryStore store, RegistryProperties properties) {
        this.registry = registry;
        this.store = store;
        this.interval = properties.syncInterval();
    }

    /**
     * Applies what other replicas changed since the last call. One call at a time (the timer's thread, or a test).
     */
    synchronized void syncNow() {
        registry.exclusively(() -> {
            store.versions().forEach(registry::knowVersion);
            Instant now = Instant.now();
            for (RegistryChange change : store.changesAfter(now.minus(JOURNAL_WINDOW))) {
                if (seen.put(change.id(), change.changedAt()) != null || store.recordedHere(change.id())) {
                    continue;
                }
                switch (change.action()) {
                    case LOAD -> {
                        unloadsAwaited.remove(change.subject());
                        registry.followLoad(change.subject());
                    }
                    case UNLOAD -> unloadsAwaited.add(change.subject());
                    case REGISTER -> {
                        // Registrations are read from the table itself.
                    }
                    default -> {
                        // Alias changes too; the versions they name may have to drain here afterwards.
                        for (String value : new String[] {change.fromValue(), change.toValue()}) {
                            if (value != null) {
                                Alias.parseTargets(value).forEach(target -> movedAwayFrom.add(target.version()));
                            }
                        }
                    }
                }
            }
            unloadsAwaited.removeIf(registry::followUnload);
            seen.values().removeIf(at -> at.isBefore(now.minus(JOURNAL_WINDOW)));
            for (ModelAlias stored : store.aliases()) {
                ModelAlias started = awaited.get(stored.name());
                boolean first = started == null || !started.targets().equals(stored.targets())
                        || !Objects.equals(started.shadow(), stored.shadow());
                if (registry.followAlias(stored, first)) {
                    awaited.remove(stored.name());
                } else {
                    awaited.put(stored.name(), stored);
                }
            }
            if (awaited.isEmpty() && !movedAwayFrom.isEmpty()) {
                Set<String> stillLoading = registry.drainUnneeded(movedAwayFrom);
                movedAwayFrom.retainAll(stillLoading);
            }
        });
    }

    /** Forgets the changes made before this replica read the registry at its start: it has applied them. */
    private synchronized void skipEarlierChanges() {
        store.changesAfter(Instant.now().minus(JOURNAL_WINDOW)).forEach(change -> seen.put(change.id(),
                change.changedAt()));
    }

    private void tick() {
        try {
            syncNow();
            if (failing) {
                log.info("The model registry is read from the database again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // The database may be away for a while; the next tick tries again, and the log says so once.
            if (!failing) {
                log.warn("Could not read the model registry's changes from the database (tried again every {}): {}",
                        interval, e.toString());
                failing = true;
            }
        }
    }

    @Override
    public void start() {
        skipEarlierChanges();
        if (interval.isZero() || interval.isNegative()) {
            return; // synced by hand (syncNow), or not at all
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("registry-sync").daemon()
                .factory());
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        // Right after the registry (which reads the stored state at its start) and stopped before it.
        return SmartLifecycle.DEFAULT_PHASE - 4095;
    }
}
