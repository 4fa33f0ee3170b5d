package dev.hanul.split;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * A weighted choice that keeps each routing key on one choice: a hash of the key picks a point in the total weight,
 * so a conversation stays on the same model version or prompt version for as long as the split stays, and keys
 * spread over the choices by weight. The model registry's canary splits and the prompt labels' A/B splits both pick
 * this way.
 */
public final class StickySplit {

    private StickySplit() {
    }

    /**
     * @param choices    what to pick from, in a stable order, each with a positive weight
     * @param routingKey what keeps related requests together; null draws at random
     */
    public static <T> T pick(List<T> choices, ToIntFunction<T> weight, String routingKey) {
        if (choices.size() == 1) {
            return choices.getFirst();
        }
        int total = choices.stream().mapToInt(weight).sum();
        int point = routingKey == null ? ThreadLocalRandom.current().nextInt(total)
                : (int) Long.remainderUnsigned(hash(routingKey), total);
        for (T choice : choices) {
            point -= weight.applyAsInt(choice);
            if (point < 0) {
                return choice;
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
