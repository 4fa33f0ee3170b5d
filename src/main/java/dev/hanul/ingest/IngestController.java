package dev.hanul.ingest;

import dev.hanul.api.Tenants;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /api/ingest} (files), {@code POST /api/ingest/text} (JSON) and {@code GET /api/ingest/jobs/{id}}.
 * Both posts answer 202 with a job id as soon as the documents are staged and the job is recorded; the work runs in
 * the background.
 */
@RestController
class IngestController {

    private final UploadReceiver uploads;
    private final TextDocumentReceiver texts;
    private final IngestionService ingestion;
    private final IngestProperties properties;
    private final ObjectMapper json;

    IngestController(UploadReceiver uploads, TextDocumentReceiver texts, IngestionService ingestion,
            IngestProperties properties, ObjectMapper json) {
        this.uploads = uploads;
        this.texts = texts;
        this.ingestion = ingestion;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping(path = "/api/ingest", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<JobAccepted>> ingestFiles(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
            ServerHttpRequest request, @RequestBody Flux<PartEvent> parts) {
        long declared = request.getHeaders().getContentLength();
        if (declared > properties.maxRequestSize().toBytes()) {
            // Refused on the declared length alone, before a byte of the body is read.
            throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The request body is " + megabytes(declared)
                    + " MB, more than the " + properties.maxRequestSize().toMegabytes() + " MB allowed "
                    + "(hanul.ingest.max-request-size); files may be at most " + properties.maxFileSize().toMegabytes()
                    + " MB each (hanul.ingest.max-file-size). Send fewer or smaller files per request.");
        }
        return uploads.receive(parts, (tenantField, metadataField) -> new UploadReceiver.Resolved(
                        Tenants.resolve(tenant, tenantField),
                        DocumentMetadata.parse(metadataField, "metadata", json)))
                .flatMap(accepted -> ingestion.accept(accepted.tenant(), accepted.documents()))
                .map(IngestController::accepted);
    }

    @PostMapping(path = "/api/ingest/text", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<JobAccepted>> ingestText(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
            @RequestBody TextDocumentRequest request) {
        String resolved = Tenants.resolve(tenant, request.tenant());
        return texts.receive(request)
                .flatMap(documents -> ingestion.accept(resolved, documents))
                .map(IngestController::accepted);
    }

    @GetMapping("/api/ingest/jobs/{id}")
    Mono<JobView> job(@RequestHeader(name = Tenants.HEADER, required = false) String tenant, @PathVariable String id) {
        return ingestion.job(Tenants.resolve(tenant, null), id);
    }

    private static ResponseEntity<JobAccepted> accepted(IngestionJob job) {
        JobAccepted body = JobAccepted.of(job);
        return ResponseEntity.accepted().location(URI.create(body.status())).body(body);
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
