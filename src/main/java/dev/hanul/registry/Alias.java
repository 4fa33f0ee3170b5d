package dev.hanul.registry;

import dev.hanul.split.StickySplit;
import java.util.ArrayList;
import java.util.List;

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
     * the same split ({@link StickySplit}); a null key picks at random.
     */
    String pick(String routingKey) {
        return pick(targets, routingKey);
    }

    static String pick(List<Target> targets, String routingKey) {
        return StickySplit.pick(targets, Target::weight, routingKey).version();
    }
}
