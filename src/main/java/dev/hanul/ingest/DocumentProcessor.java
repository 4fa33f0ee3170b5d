package dev.hanul.ingest;

import dev.hanul.ingest.text.Chunk;
import dev.hanul.ingest.text.ChunkSplitter;
import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.ParsedDocument;
import dev.hanul.ingest.text.PiiRedactor;
import dev.hanul.ingest.text.TextCleaner;
import dev.hanul.ingest.text.UnprocessableDocumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The read and transform steps of ingestion: a staged upload is parsed, cleaned, redacted and split into chunks.
 * Blocking; the pipeline runs it on the ingestion threads.
 */
@Component
class DocumentProcessor {

    private final DocumentStaging staging;
    private final DocumentParser parser;
    private final TextCleaner cleaner;
    private final PiiRedactor redactor;
    private final ChunkSplitter splitter;
    private final IngestMetrics metrics;

    DocumentProcessor(DocumentStaging staging, DocumentParser parser, TextCleaner cleaner, PiiRedactor redactor,
            ChunkSplitter splitter, IngestMetrics metrics) {
        this.staging = staging;
        this.parser = parser;
        this.cleaner = cleaner;
        this.redactor = redactor;
        this.splitter = splitter;
        this.metrics = metrics;
    }

    ProcessedDocument process(JobDocument entry) {
        Path file = staging.resolve(entry.stagedFile());
        if (!Files.exists(file)) {
            throw new UnprocessableDocumentException("its staged upload " + file.getFileName() + " is not in "
                    + staging.root() + " (was it cleaned? With several replicas, hanul.ingest.staging-dir must be a "
                    + "directory every replica reaches); upload the document again");
        }
        ParsedDocument parsed = metrics.time("parse", () -> parser.parse(file, entry.source(), entry.mediaType()));
        String text = metrics.time("clean", () -> cleaner.clean(parsed.text(), entry.mediaType()));
        String redacted = metrics.time("redact", () -> redactor.redact(text).text());
        if (redacted.isBlank()) {
            throw new UnprocessableDocumentException("nothing is left to index once its text is cleaned");
        }
        List<Chunk> split = metrics.time("chunk", () -> splitter.split(redacted));
        return new ProcessedDocument(parsed, split);
    }

    /** The staged upload is not needed once its entry is final. */
    void discard(JobDocument entry) {
        staging.delete(entry.stagedFile());
    }
}
