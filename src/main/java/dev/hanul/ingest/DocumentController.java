package dev.hanul.ingest;

import dev.hanul.api.Tenants;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/documents}: the tenant's ingested documents. */
@RestController
class DocumentController {

    private final IngestionService ingestion;

    DocumentController(IngestionService ingestion) {
        this.ingestion = ingestion;
    }

    @GetMapping("/api/documents")
    Mono<IngestionService.DocumentPage> list(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String tenant, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        return ingestion.list(Tenants.resolve(header, tenant), offset, limit);
    }

    @GetMapping("/api/documents/{id}")
    Mono<DocumentView> get(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String tenant, @PathVariable String id) {
        return ingestion.document(Tenants.resolve(header, tenant), id);
    }

    @GetMapping("/api/documents/{id}/chunks")
    Mono<List<DocumentChunk>> chunks(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String tenant, @PathVariable String id) {
        return ingestion.documentChunks(Tenants.resolve(header, tenant), id);
    }

    /** Removes the document's chunks from the index, durably, then its metadata. */
    @DeleteMapping("/api/documents/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String tenant, @PathVariable String id) {
        return ingestion.delete(Tenants.resolve(header, tenant), id);
    }
}
