package dev.hanul.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A name that requests use and that points at one version ({@code default -> smollm2@3}) or splits its traffic
 * across versions by weight ({@code smollm2@3=90,smollm2@4=10}), plus an optional shadow version that gets a copy of
 * every request. Moving an alias is the deployment.
 *
 * @param targets the versions in the order given, each with its weight (all positive)
 * @param shadow  a version id, or null
 */
record Alias(String name, List<Target> targets, String shadow) {

    record Target(String version, int weight) {
    }

    Alias {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("an alias needs at least one target version");
        }
    }

    static Alias of(ModelAlias row) {
        return new Alias(row.name(), parseTargets(row.targets()), row.shadow());
    }

    /** {@code smollm2@3} for one target, {@code smollm2@3=90,smollm2@4=10} for a split: as stored and shown. */
    String targetsText() {
        if (targets.size() == 1) {
            return targets.getFirst().version();
        }
        var text = new StringBuilder();
        for (Target target : targets) {
            text.append(text.isEmpty() ? "" : ",").append(target.version()).append('=').append(target.weight());
        }
        return text.toString();
    }

    static List<Target> parseTargets(String text) {
        List<Target> targets = new ArrayList<>();
        for (String part : text.split(",")) {
            int equals = part.lastIndexOf('=');
            targets.add(equals < 0 ? new Target(part.strip(), 100)
                    : new Target(part.substring(0, equals).strip(), Integer.parseInt(part.substring(equals + 1))));
        }
        return targets;
    }

    boolean targets(String version) {
        return targets.stream().anyMatch(target -> target.version().equals(version));
    }

    /**
     * The version that serves a request with this routing key: the same key always lands on the same version of
     * the same split (a hash of the key picks a point in the total weight); a null key picks at random.
     */
    String pick(String routingKey) {
        return pick(targets, routingKey);
    }

    static String pick(List<Target> targets, String routingKey) {
        if (targets.size() == 1) {
            return targets.getFirst().version();
        }
        int total = targets.stream().mapToInt(Target::weight).sum();
        int point = routingKey == null ? ThreadLocalRandom.current().nextInt(total)
                : (int) Long.remainderUnsigned(hash(routingKey), total);
        for (Target target : targets) {
            point -= target.weight();
            if (point < 0) {
                return target.version();
            }
        }
        throw new IllegalStateException("weights changed while picking");
    }

    /**
     * FNV-1a over the key's UTF-8 bytes, then SplitMix64's finalizer so that keys differing in one character spread
     * over the whole range: stable across processes and releases, unlike {@link String#hashCode()}'s low bits.
     */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
