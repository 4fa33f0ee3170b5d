package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.api.Caller;
import dev.hanul.api.Tenants;
import dev.hanul.openai.OpenAiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * OpenAI's fine-tuning API: create a job, list jobs (paged with {@code after} and {@code limit}), retrieve one, its
 * events and checkpoints, cancel it. Jobs belong to the request's tenant.
 */
@RestController
@Tag(name = "Fine-tuning")
class FineTuningController {

    private final FineTuningJobs jobs;

    FineTuningController(FineTuningJobs jobs) {
        this.jobs = jobs;
    }

    record Page<T>(String object, List<T> data, @JsonProperty("has_more") boolean hasMore) {
    }

    @PostMapping("/v1/fine_tuning/jobs")
    @Operation(summary = "Create a fine-tuning job (LoRA); its files are validated against the base model first")
    Mono<ResponseEntity<Object>> create(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                                        @RequestBody JobRequest request, ServerWebExchange exchange) {
        String resolved = Tenants.resolve(tenant, null);
        return Caller.name(exchange)
                .flatMap(actor -> jobs.create(resolved, request, actor))
                .<ResponseEntity<Object>>map(job -> ResponseEntity.ok(FineTuningJobs.object(job)))
                .onErrorResume(DatasetRefused.class, refused -> Mono.just(refused.response()));
    }

    @GetMapping("/v1/fine_tuning/jobs")
    @Operation(summary = "List the tenant's fine-tuning jobs, newest first")
    Mono<Page<JobObject>> list(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                               @RequestParam(required = false) String after,
                               @RequestParam(defaultValue = "20") int limit) {
        int size = limit(limit);
        return jobs.page(Tenants.resolve(tenant, null), after, size).map(page -> new Page<>("list",
                page.stream().limit(size).map(FineTuningJobs::object).toList(), page.size() > size));
    }

    @GetMapping("/v1/fine_tuning/jobs/{id}")
    @Operation(summary = "Retrieve a fine-tuning job")
    Mono<JobObject> retrieve(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                             @PathVariable String id) {
        return jobs.job(Tenants.resolve(tenant, null), id).map(FineTuningJobs::object);
    }

    @GetMapping("/v1/fine_tuning/jobs/{id}/events")
    @Operation(summary = "A job's events, newest first: status changes and, per step, loss, tokens/s and ETA")
    Mono<Page<EventObject>> events(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                                   @PathVariable String id, @RequestParam(required = false) String after,
                                   @RequestParam(defaultValue = "20") int limit) {
        int size = limit(limit);
        return jobs.events(Tenants.resolve(tenant, null), id, after, size).map(page -> new Page<>("list",
                page.stream().limit(size).map(FineTuningJobs::object).toList(), page.size() > size));
    }

    @GetMapping("/v1/fine_tuning/jobs/{id}/checkpoints")
    @Operation(summary = "A job's checkpoints, newest first, with their losses")
    Mono<Page<CheckpointObject>> checkpoints(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                                             @PathVariable String id,
                                             @RequestParam(defaultValue = "10") int limit) {
        int size = limit(limit);
        return jobs.checkpoints(Tenants.resolve(tenant, null), id).collectList().map(all -> new Page<>("list",
                all.stream().limit(size).map(FineTuningJobs::object).toList(), all.size() > size));
    }

    @PostMapping("/v1/fine_tuning/jobs/{id}/cancel")
    @Operation(summary = "Cancel a job that is validating, queued or running")
    Mono<JobObject> cancel(@RequestHeader(name = Tenants.HEADER, required = false) String tenant,
                           @PathVariable String id) {
        return jobs.cancel(Tenants.resolve(tenant, null), id).map(FineTuningJobs::object);
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw OpenAiException.invalid("limit", "'limit' must be between 1 and 1000, got " + limit + ".");
        }
        return limit;
    }
}
