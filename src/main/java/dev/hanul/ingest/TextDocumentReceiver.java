package dev.hanul.ingest;

import dev.hanul.ingest.text.SupportedTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks a {@link TextDocumentRequest} and stages each text as a file, so text documents take the same path through
 * the pipeline (and survive a crash the same way) as uploads.
 */
@Component
class TextDocumentReceiver {

    private static final Set<String> TEXT_TYPES = Set.of(SupportedTypes.TEXT, SupportedTypes.MARKDOWN,
            SupportedTypes.HTML);

    private final DocumentStaging staging;
    private final IngestProperties properties;
    private final ObjectMapper json;

    TextDocumentReceiver(DocumentStaging staging, IngestProperties properties, ObjectMapper json) {
        this.staging = staging;
        this.properties = properties;
        this.json = json;
    }

    /** The request's documents, staged; nothing is staged when any document is refused. */
    Mono<List<AcceptedDocument>> receive(TextDocumentRequest request) {
        List<Checked> checked = check(request);
        return Mono.fromCallable(() -> {
            var accepted = new ArrayList<AcceptedDocument>(checked.size());
            try {
                for (Checked document : checked) {
                    accepted.add(stage(document));
                }
            } catch (RuntimeException e) {
                accepted.forEach(document -> staging.delete(document.stagedFile()));
                throw e;
            }
            return (List<AcceptedDocument>) accepted;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private record Checked(String documentId, String source, String mediaType, byte[] bytes, String contentHash,
                           DocumentMetadata metadata) {
    }

    private List<Checked> check(TextDocumentRequest request) {
        if (request.documents() == null || request.documents().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "documents is missing or empty. Send "
                    + "{\"documents\": [{\"source\": \"notes.md\", \"text\": \"...\"}]}.");
        }
        DocumentMetadata shared = metadata(() -> DocumentMetadata.of(request.metadata(), "metadata"));
        var checked = new ArrayList<Checked>();
        for (int i = 0; i < request.documents().size(); i++) {
            TextDocumentRequest.TextDocument document = request.documents().get(i);
            String field = "documents[" + i + "]";
            if (document == null || document.text() == null || document.text().isBlank()) {
                throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, field + ".text is missing or "
                        + "empty. Every document needs some text.");
            }
            byte[] bytes = document.text().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > properties.maxFileSize().toBytes()) {
                throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, field + ".text is larger than "
                        + properties.maxFileSize().toMegabytes() + " MB (hanul.ingest.max-file-size). Split it.");
            }
            String hash = DocumentKey.sha256(document.text());
            String source = document.source() != null && !document.source().isBlank()
                    ? DocumentIds.source(document.source())
                    : document.id() != null && !document.id().isBlank() ? document.id()
                    : "text-" + hash.substring(0, 16);
            String mediaType = mediaType(document.mediaType(), source, field);
            DocumentMetadata own = metadata(() -> DocumentMetadata.of(document.metadata(), field + ".metadata"));
            checked.add(new Checked(DocumentIds.of(document.id(), source, field + ".id"), source, mediaType, bytes,
                    hash, shared.with(own)));
        }
        return checked;
    }

    private static String mediaType(String declared, String source, String field) {
        if (declared == null || declared.isBlank()) {
            String extension = DocumentStaging.extension(source);
            return switch (extension) {
                case "md", "markdown" -> SupportedTypes.MARKDOWN;
                case "html", "htm" -> SupportedTypes.HTML;
                default -> SupportedTypes.TEXT;
            };
        }
        String type = SupportedTypes.normalize(declared);
        if (!TEXT_TYPES.contains(type)) {
            throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, field + ".mediaType " + declared
                    + " is not a text type. Use text/plain, text/markdown or text/html, or upload other formats as "
                    + "files to POST /api/ingest.");
        }
        return type;
    }

    private AcceptedDocument stage(Checked document) {
        String extension = switch (document.mediaType()) {
            case SupportedTypes.MARKDOWN -> "md";
            case SupportedTypes.HTML -> "html";
            default -> "txt";
        };
        String name = staging.newName(extension);
        try {
            Files.write(staging.resolve(name), document.bytes(), StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stage a text document: " + e.getMessage(), e);
        }
        return new AcceptedDocument(document.documentId(), document.source(), document.mediaType(),
                document.contentHash(), document.bytes().length,
                document.metadata(), name);
    }

    private static DocumentMetadata metadata(Supplier<DocumentMetadata> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
