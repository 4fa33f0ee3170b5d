package dev.hanul.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Path;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * vLLM's runtime LoRA endpoints: {@code POST /v1/load_lora_adapter} serves an adapter file under a name that requests
 * then put in {@code model}; {@code POST /v1/unload_lora_adapter} stops serving it. Answers are vLLM's plain-text
 * success lines; refusals are JSON errors. Admin keys only (they read files on the server). Adapters added here last
 * until the service stops; configure {@code hanul.lora.modules} for ones that come back at every start.
 */
@RestController
@Tag(name = "LoRA adapters")
class LoraAdapterController {

    private final ModelRegistry registry;

    LoraAdapterController(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * vLLM's request, plus where the adapter runs.
     *
     * @param baseModel the model it runs on (name, alias or name@version); default: the default alias
     * @param scale     the adapter scale (llama.cpp's --lora-scaled); default 1
     */
    record LoadRequest(@JsonProperty("lora_name") String loraName, @JsonProperty("lora_path") String loraPath,
                       @JsonProperty("base_model_name") String baseModel, Float scale) {
    }

    record UnloadRequest(@JsonProperty("lora_name") String loraName) {
    }

    @PostMapping("/v1/load_lora_adapter")
    @Operation(summary = "Serve a LoRA adapter (llama.cpp GGUF) under a model name (vLLM's runtime LoRA loading)")
    Mono<ResponseEntity<String>> load(@RequestBody LoadRequest request) {
        if (request.loraName() == null || request.loraName().isBlank() || request.loraPath() == null
                || request.loraPath().isBlank()) {
            return Mono.error(RegistryException.invalid("Both 'lora_name' and 'lora_path' must be provided, e.g. "
                    + "{\"lora_name\": \"sql-lora\", \"lora_path\": \"/models/sql-lora.gguf\"}."));
        }
        return Mono.fromCallable(() -> {
            registry.addAdapter(request.loraName(), Path.of(request.loraPath()).toAbsolutePath().normalize(),
                    request.baseModel(), request.scale() == null ? 1f : request.scale());
            return ResponseEntity.ok("Success: LoRA adapter '%s' added successfully.".formatted(request.loraName()));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/v1/unload_lora_adapter")
    @Operation(summary = "Stop serving a LoRA adapter (vLLM's runtime LoRA unloading)")
    Mono<ResponseEntity<String>> unload(@RequestBody UnloadRequest request) {
        if (request.loraName() == null || request.loraName().isBlank()) {
            return Mono.error(RegistryException.invalid("'lora_name' must be provided, e.g. {\"lora_name\": "
                    + "\"sql-lora\"}."));
        }
        registry.removeAdapter(request.loraName());
        return Mono.just(ResponseEntity.ok("Success: LoRA adapter '%s' removed successfully."
                .formatted(request.loraName())));
    }
}
