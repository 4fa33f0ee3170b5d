package dev.hanul.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes and the keys derived from them, all SHA-256 in lower-case hex. */
public final class DocumentKey {

    private DocumentKey() {
    }

    /** The primary key of a stored document: tenant and document id, unambiguous whatever characters they hold. */
    public static String of(String tenant, String documentId) {
        return sha256(tenant.length() + ":" + tenant + documentId);
    }

    /** The id of a document that was given a source but no id: re-uploading the same source replaces it. */
    public static String fromSource(String source) {
        return "src-" + sha256(source).substring(0, 24);
    }

    /** The index id of a chunk: stable across re-ingestion, so replacing a document never duplicates chunks. */
    public static String chunkId(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
