package dev.hanul.finetune;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers in OpenAI's style: a prefix and 24 random hex digits ({@code file-…}, {@code ftjob-…}). */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next(String prefix) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }
}
