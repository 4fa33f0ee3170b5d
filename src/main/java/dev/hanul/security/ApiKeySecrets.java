package dev.hanul.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a key, {@code hanul_<id>_<secret>}: an 8-character public id (the row to look up) and a 40-character
 * secret, both base62 so that a key survives copy and paste, shells and URLs. The secret carries 238 random bits, so
 * a fast hash (SHA-256) is safe to store: nobody can guess keys to test against it, and checking costs microseconds.
 */
final class ApiKeySecrets {

    static final String PREFIX = "hanul_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile("hanul_([0-9A-Za-z]{8})_[0-9A-Za-z]{40}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    /** A new key: its public id and the whole key (to show once). */
    record NewSecret(String id, String key) {
    }

    static NewSecret generate() {
        String id = random(8);
        return new NewSecret(id, PREFIX + id + "_" + random(40));
    }

    /** The key's id, when the text has the shape of a key. */
    static Optional<String> idOf(String key) {
        Matcher matcher = SHAPE.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Compares in time independent of where the hashes differ, so timing tells nothing about a stored hash. */
    static boolean matches(String key, String storedHash) {
        return MessageDigest.isEqual(hash(key).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
