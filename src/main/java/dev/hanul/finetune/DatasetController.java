package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.api.Caller;
import dev.hanul.api.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/fine-tuning/datasets}: a training file built from the tenant's own data ({@link DatasetBuilder}),
 * stored as the next version of the named dataset and usable as a job's {@code training_file} at once.
 */
@RestController
@Tag(name = "Fine-tuning")
class DatasetController {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final DatasetBuilder builder;

    DatasetController(DatasetBuilder builder) {
        this.builder = builder;
    }

    /**
     * @param source      feedback (interactions rated up) or documents (question/answer pairs over indexed documents)
     * @param maxExamples the most examples kept (a seeded sample when there are more); default 5000
     */
    record BuildRequest(String source, String name, @JsonProperty("max_examples") Integer maxExamples, Long seed) {
    }

    @PostMapping("/api/fine-tuning/datasets")
    @Operation(summary = "Build a training file from the tenant's feedback or documents")
    Mono<ResponseEntity<Object>> build(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
                                       @RequestBody BuildRequest request, ServerWebExchange exchange) {
        String tenant = Tenants.resolve(tenantHeader, null);
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'name' names the dataset: 1 to 128 letters, "
                    + "digits, '.', '_' or '-'; got " + request.name() + ".");
        }
        int max = request.maxExamples() == null ? 5000 : request.maxExamples();
        if (max < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'max_examples' must be at least 1.");
        }
        return Caller.name(exchange).flatMap(actor -> switch (request.source() == null ? "" : request.source()) {
                    case "feedback" -> builder.fromFeedback(tenant, request.name(), max, actor);
                    case "documents" -> builder.fromDocuments(tenant, request.name(), max,
                            request.seed() == null ? 0 : request.seed(), actor);
                    default -> Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "'source' must be "
                            + "'feedback' (interactions rated up) or 'documents' (question/answer pairs over the "
                            + "tenant's documents); got " + request.source() + "."));
                })
                .<ResponseEntity<Object>>map(file -> ResponseEntity.ok(FileObject.of(file)))
                .onErrorResume(DatasetRefused.class, refused -> Mono.just(refused.response()));
    }
}
