package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.text.PiiType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingestion settings ({@code hanul.ingest.}).
 *
 * @param maxFileSize        an uploaded file larger than this is refused with 413 as soon as it passes the limit
 * @param maxRequestSize     a request declaring a larger body is refused with 413 before any of it is read
 * @param chunkTokens        chunk size in the embedding model's word pieces; at most what the model sees (254 plus
 *                           its two special tokens)
 * @param chunkOverlap       word pieces a chunk repeats from the one before it
 * @param embedBatchSize     chunks handed to the embedder at a time; the job's "embedded" count moves by batches
 * @param workers            documents processed at once (parse, embed, guard and index run on this many threads;
 *                           each text is embedded on one of them alone, so this is also how many cores embedding
 *                           uses: by default 2)
 * @param maxQueuedDocuments accepted documents not yet processed, beyond which new uploads get 503
 * @param maxTextChars       extracted text longer than this fails the document (guards against decompression bombs)
 * @param redactPii          replace personal data with placeholders before indexing
 * @param piiTypes           which kinds of personal data to redact
 * @param ocrLanguages       tesseract languages for images and scanned PDF pages, joined with '+'; those not
 *                           installed are left out, and with none (or tesseract missing) images are refused
 * @param stagingDir         where uploads wait for their job (default: {@code staging/} under the data directory);
 *                           replicas that share a metadata database must share this directory too (NFS, a
 *                           ReadWriteMany volume), because any replica may resume an entry another one accepted
 * @param lease              how long a replica's claim on a job entry lasts without renewal; renewed every third of
 *                           it, so another replica takes over the entries of a dead one after at most this long
 * @param replicaId          this replica's name in the lease columns (default: made once and kept in the data
 *                           directory's {@code replica-id} file, so a restarted replica takes its own entries back)
 */
@ConfigurationProperties("hanul.ingest")
public record IngestProperties(
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("500MB") DataSize maxRequestSize,
        @DefaultValue("200") int chunkTokens,
        @DefaultValue("30") int chunkOverlap,
        @DefaultValue("16") int embedBatchSize,
        @DefaultValue("2") int workers,
        @DefaultValue("10000") int maxQueuedDocuments,
        @DefaultValue("5000000") int maxTextChars,
        @DefaultValue("true") boolean redactPii,
        @DefaultValue({"EMAIL", "PHONE", "CARD", "RRN"}) Set<PiiType> piiTypes,
        @DefaultValue("kor+eng") String ocrLanguages,
        Path stagingDir,
        @DefaultValue("30s") Duration lease,
        String replicaId) {

    public IngestProperties {
        int window = Embedder.MAX_TOKENS - 2;
        if (chunkTokens < 16 || chunkTokens > window) {
            throw new IllegalArgumentException("hanul.ingest.chunk-tokens must be between 16 and " + window
                    + " (what " + Embedder.MODEL_NAME + " sees of a text), got " + chunkTokens);
        }
        if (chunkOverlap < 0 || chunkOverlap >= chunkTokens / 2) {
            throw new IllegalArgumentException("hanul.ingest.chunk-overlap must be between 0 and half the chunk size ("
                    + chunkTokens / 2 + "), got " + chunkOverlap);
        }
        requirePositive(embedBatchSize, "embed-batch-size");
        requirePositive(workers, "workers");
        requirePositive(maxQueuedDocuments, "max-queued-documents");
        requirePositive(maxTextChars, "max-text-chars");
        if (maxFileSize.toBytes() < 1 || maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException("hanul.ingest.max-file-size and max-request-size must be positive");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("hanul.ingest.lease must be at least 1s (it is renewed every third of "
                    + "it), got " + lease);
        }
        if (replicaId != null && (replicaId.isBlank() || replicaId.length() > 128)) {
            throw new IllegalArgumentException("hanul.ingest.replica-id must be 1 to 128 characters, or left unset to "
                    + "use the one kept in the data directory");
        }
        piiTypes = Set.copyOf(piiTypes);
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("hanul.ingest." + name + " must be at least 1, got " + value);
        }
    }
}
