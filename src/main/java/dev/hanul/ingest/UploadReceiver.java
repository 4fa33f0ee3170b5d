package dev.hanul.ingest;

import dev.hanul.ingest.text.DocumentParser;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Receives a multipart upload as a stream: each file goes straight to the staging folder while its size is counted
 * and its SHA-256 computed, so no file is ever held in memory and one over the limit is refused (413) as soon as it
 * passes it. Then the request is checked as a whole: it is accepted or refused entirely, and a refused request
 * leaves nothing staged.
 */
@Component
class UploadReceiver {

    /** A form field or a staged file, in request order. */
    private sealed interface Received permits Field, StagedFile {
    }

    private record Field(String name, String value) implements Received {
    }

    private record StagedFile(String fileName, String stagedName, long size, String sha256) implements Received {
    }

    private final DocumentStaging staging;
    private final DocumentParser parser;
    private final IngestProperties properties;
    private final MailAttachmentSplitter mails;

    UploadReceiver(DocumentStaging staging, DocumentParser parser, IngestProperties properties,
            MailAttachmentSplitter mails) {
        this.mails = mails;
        this.staging = staging;
        this.parser = parser;
        this.properties = properties;
    }

    /**
     * Stages the files of a multipart request and returns its documents, ready for a job.
     *
     * @param resolve turns the request's form fields into the tenant and metadata (it may reject them)
     */
    Mono<Accepted> receive(Flux<PartEvent> parts, FieldResolver resolve) {
        List<String> staged = Collections.synchronizedList(new ArrayList<>());
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.get() instanceof FilePartEvent file) {
                        return stage(file.filename(), events.map(PartEvent::content), staged);
                    }
                    String name = first.get() == null ? "" : first.get().name();
                    String value = first.get() instanceof FormPartEvent form ? form.value() : "";
                    return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                            .then(Mono.<Received>just(new Field(name, value)));
                }))
                .collectList()
                .flatMap(received -> check(received, resolve))
                .onErrorResume(failure -> Mono.fromRunnable(() -> staged.forEach(staging::delete))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then(Mono.error(failure)));
    }

    /** Turns the form fields into the tenant and the metadata shared by all files of the request. */
    @FunctionalInterface
    interface FieldResolver {
        Resolved resolve(String tenantField, String metadataField);
    }

    record Resolved(String tenant, DocumentMetadata metadata) {
    }

    record Accepted(String tenant, List<AcceptedDocument> documents) {
    }

    private Mono<Received> stage(String fileName, Flux<DataBuffer> content, List<String> staged) {
        if (fileName == null || fileName.isBlank()) {
            return content.doOnNext(DataBufferUtils::release).then(Mono.error(new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "A file part has no file name; send each file with a filename in its "
                    + "Content-Disposition header.")));
        }
        String stagedName = staging.newName(DocumentStaging.extension(fileName));
        staged.add(stagedName);
        MessageDigest digest = DocumentKey.digest();
        long limit = properties.maxFileSize().toBytes();
        long[] size = {0};
        Flux<DataBuffer> counted = content.handle((buffer, sink) -> {
            size[0] += buffer.readableByteCount();
            if (size[0] > limit) {
                DataBufferUtils.release(buffer);
                sink.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "File '" + fileName
                        + "' is larger than " + properties.maxFileSize().toMegabytes() + " MB, the limit per file "
                        + "(hanul.ingest.max-file-size). Nothing from this request was ingested; split the file or "
                        + "raise the limit."));
                return;
            }
            try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
                buffers.forEachRemaining(digest::update);
            }
            sink.next(buffer);
        });
        return DataBufferUtils.write(counted, staging.resolve(stagedName), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)
                .then(Mono.fromSupplier(() -> new StagedFile(fileName, stagedName, size[0],
                        HexFormat.of().formatHex(digest.digest()))));
    }

    private Mono<Accepted> check(List<Received> received, FieldResolver resolve) {
        String tenantField = null;
        String metadataField = null;
        String documentIdField = null;
        var files = new ArrayList<StagedFile>();
        for (Received part : received) {
            switch (part) {
                case Field(String name, String value) when name.equals("tenant") -> tenantField = value;
                case Field(String name, String value) when name.equals("metadata") -> metadataField = value;
                case Field(String name, String value) when name.equals("documentId") -> documentIdField = value;
                case Field field -> {
                    return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown form field '"
                            + field.name() + "'. Send files, and optionally the fields tenant, metadata (a JSON "
                            + "object) and documentId."));
                }
                case StagedFile file -> files.add(file);
            }
        }
        if (files.isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "The request has no files. Send "
                    + "one or more file parts (multipart/form-data), e.g. curl -F file=@report.pdf."));
        }
        if (documentIdField != null && files.size() > 1) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "documentId names one document, "
                    + "but the request has " + files.size() + " files. Send one file per documentId, or leave it "
                    + "out to derive ids from the file names."));
        }
        Resolved resolved;
        try {
            resolved = resolve.resolve(tenantField, metadataField);
        } catch (IllegalArgumentException e) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        for (StagedFile file : files) {
            if (file.size() == 0) {
                return Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "File '"
                        + file.fileName() + "' is empty. Nothing from this request was ingested; leave the file out "
                        + "and send the request again."));
            }
        }
        String documentId = documentIdField;
        return Flux.fromIterable(files)
                .concatMap(file -> Mono.fromCallable(() -> mails.split(accept(file, documentId, resolved.metadata())))
                        .subscribeOn(Schedulers.boundedElastic()))
                .concatMapIterable(documents -> documents)
                .collectList()
                .map(documents -> new Accepted(resolved.tenant(), documents));
    }

    /** Detects the file's type (magic bytes and name) and refuses what cannot be parsed. */
    private AcceptedDocument accept(StagedFile file, String documentId, DocumentMetadata metadata) {
        String mediaType = parser.detect(staging.resolve(file.stagedName()), file.fileName());
        String refusal = parser.refusal(mediaType);
        if (refusal != null) {
            throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "File '" + file.fileName() + "' is "
                    + "refused: " + refusal + ". Nothing from this request was ingested; leave the file out or "
                    + "convert it.");
        }
        String source = DocumentIds.source(file.fileName());
        return new AcceptedDocument(DocumentIds.of(documentId, source, "documentId"), source, mediaType,
                file.sha256(), file.size(), metadata, file.stagedName());
    }
}
