package dev.hanul.finetune;

import dev.hanul.api.Caller;
import dev.hanul.api.Tenants;
import dev.hanul.openai.OpenAiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * OpenAI's Files API for fine-tuning data: {@code POST /v1/files} (multipart: {@code file}, {@code purpose=fine-tune})
 * checks every line and stores the file as the next version of its dataset, or refuses it with a 400 that lists the
 * lines; list, retrieve, content and delete. Files belong to the request's tenant and are invisible to others.
 */
@RestController
@Tag(name = "Fine-tuning")
class FilesController {

    private final TrainingFiles files;
    private final FineTuningStore store;
    private final FileContents contents;
    private final FineTuneProperties properties;

    FilesController(TrainingFiles files, FineTuningStore store, FileContents contents,
                    FineTuneProperties properties) {
        this.files = files;
        this.store = store;
        this.contents = contents;
        this.properties = properties;
    }

    record FileList(String object, List<FileObject> data, @com.fasterxml.jackson.annotation.JsonProperty("has_more")
            boolean hasMore) {
    }

    record Deleted(String id, String object, boolean deleted) {
    }

    @PostMapping(path = "/v1/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a fine-tuning file (chat JSONL, purpose=fine-tune); every line is checked first")
    Mono<ResponseEntity<Object>> upload(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                                        ServerWebExchange exchange) {
        String tenant = Tenants.resolve(tenantHeader, null);
        return exchange.getMultipartData().flatMap(parts -> {
            Part purpose = parts.getFirst("purpose");
            String purposeValue = purpose instanceof FormFieldPart field ? field.value().strip() : null;
            if (purposeValue == null || !purposeValue.equals(TrainingFiles.PURPOSE)) {
                return Mono.error(OpenAiException.invalid("purpose", "'purpose' must be 'fine-tune' (got "
                        + (purposeValue == null ? "none" : "'" + purposeValue + "'") + "); this service stores "
                        + "files for fine-tuning only."));
            }
            if (!(parts.getFirst("file") instanceof FilePart file)) {
                return Mono.error(OpenAiException.invalid("file", "A multipart part 'file' with the JSONL file is "
                        + "required, e.g. curl -F purpose=fine-tune -F file=@train.jsonl .../v1/files"));
            }
            long max = properties.maxFileSize().toBytes();
            return DataBufferUtils.join(file.content(), (int) Math.min(Integer.MAX_VALUE, max))
                    .onErrorMap(DataBufferLimitException.class, e -> new OpenAiException(HttpStatus.CONTENT_TOO_LARGE,
                            "The file is larger than " + properties.maxFileSize().toMegabytes() + " MB "
                                    + "(hanul.finetune.max-file-size); split it into smaller datasets.",
                            "invalid_request_error", "file", null))
                    .map(buffer -> {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        DataBufferUtils.release(buffer);
                        return bytes;
                    })
                    .defaultIfEmpty(new byte[0])
                    .zipWith(Caller.name(exchange))
                    .flatMap(received -> files.accept(tenant, file.filename(),
                            TrainingFiles.datasetName(file.filename()), "upload", received.getT1(), received.getT2()))
                    .<ResponseEntity<Object>>map(row -> ResponseEntity.ok(FileObject.of(row)))
                    .onErrorResume(DatasetRefused.class, refused -> Mono.just(refused.response()));
        });
    }

    @GetMapping("/v1/files")
    @Operation(summary = "List the tenant's files, newest first")
    Mono<FileList> list(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                        @RequestParam(required = false) String purpose) {
        return store.files(Tenants.resolve(tenantHeader, null), purpose).map(FileObject::of).collectList()
                .map(data -> new FileList("list", data, false));
    }

    @GetMapping("/v1/files/{id}")
    @Operation(summary = "Retrieve a file object")
    Mono<FileObject> retrieve(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                              @PathVariable String id) {
        return find(Tenants.resolve(tenantHeader, null), id).map(FileObject::of);
    }

    @GetMapping(path = "/v1/files/{id}/content", produces = "application/jsonl")
    @Operation(summary = "The file's content, as uploaded")
    Mono<String> content(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                         @PathVariable String id) {
        return find(Tenants.resolve(tenantHeader, null), id).map(files::content);
    }

    @DeleteMapping("/v1/files/{id}")
    @Operation(summary = "Delete a file that no unfinished job trains on")
    Mono<Deleted> delete(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                         @PathVariable String id) {
        String tenant = Tenants.resolve(tenantHeader, null);
        return find(tenant, id)
                .flatMap(file -> store.unfinishedJobsUsing(tenant, id).flatMap(using -> using > 0
                        ? Mono.error(new OpenAiException(HttpStatus.CONFLICT, "The file " + id + " is used by "
                                + using + " unfinished fine-tuning job(s); cancel them or wait for them to end.",
                                "invalid_request_error", "file_id", null))
                        : store.deleteFile(tenant, id)))
                .doOnNext(deleted -> contents.delete(id))
                .map(deleted -> new Deleted(id, "file", true));
    }

    private Mono<TrainingFile> find(String tenant, String id) {
        return store.file(tenant, id).switchIfEmpty(Mono.error(new OpenAiException(HttpStatus.NOT_FOUND,
                "No file with id '" + id + "' in this tenant; GET /v1/files lists them.", "invalid_request_error",
                "file_id", null)));
    }

}
