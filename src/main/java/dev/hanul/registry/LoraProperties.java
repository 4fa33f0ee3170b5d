package dev.hanul.registry;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * LoRA adapters served next to their base models, under {@code hanul.lora.} (vLLM's {@code --lora-modules}):
 * requests choose one by naming it as their {@code model}.
 *
 * <pre>
 * hanul.lora.modules[0].name=sql-lora
 * hanul.lora.modules[0].path=/models/sql-lora.gguf
 * hanul.lora.modules[0].base=default      # a model name, alias or name@version; default: the default alias
 * hanul.lora.modules[0].scale=1.0         # llama.cpp's --lora-scaled; default 1
 * </pre>
 */
@ConfigurationProperties("hanul.lora")
public record LoraProperties(@DefaultValue List<Module> modules) {

    /**
     * One adapter: a LoRA GGUF in llama.cpp's format (what convert_lora_to_gguf.py writes).
     *
     * @param name  what requests put in {@code model}
     * @param path  the adapter file on the server
     * @param base  the model it runs on (its name, an alias, or {@code name@version}); default {@code default}
     * @param scale the adapter scale, multiplied with alpha / rank; default 1
     */
    public record Module(String name, Path path, @DefaultValue("default") String base,
                         @DefaultValue("1") float scale) {
    }
}
