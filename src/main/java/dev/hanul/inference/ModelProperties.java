package dev.hanul.inference;

import dev.hanul.engine.EngineConfig;
import dev.hanul.model.ModelDownloader;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The model the service serves and how the engine runs it, under {@code hanul.model.}.
 *
 * @param path                a local GGUF file; when unset, {@code file} from {@code repository} on Hugging Face is
 *                            downloaded once into {@code <data-dir>/models}
 * @param repository          the Hugging Face repository of the default model
 * @param file                the GGUF file in that repository
 * @param sha256              the expected SHA-256 of the download (default: the one Hugging Face reports)
 * @param endpoint            the Hugging Face compatible hub to download from, e.g. a mirror; default:
 *                            {@code HF_ENDPOINT} when set, else https://huggingface.co
 * @param offline             never download: a missing file is reported instead (as HF_HUB_OFFLINE does)
 * @param name                the model's id in the APIs ({@code /v1/models}); default: the file name without
 *                            {@code .gguf}
 * @param threads             CPU threads for the kernels; default: all available processors
 * @param kvCache             memory for the KV cache, which bounds how many tokens all running requests hold
 * @param maxRunningSequences the most sequences decoding at once
 * @param maxWaiting          the most requests queued; beyond it requests are refused with 503
 * @param maxBatchTokens      the most tokens one engine step computes
 * @param prefillChunk        the most prompt tokens of one sequence per step
 */
@ConfigurationProperties("hanul.model")
public record ModelProperties(
        Path path,
        @DefaultValue("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF") String repository,
        @DefaultValue("smollm2-135m-instruct-q8_0.gguf") String file,
        String sha256,
        URI endpoint,
        @DefaultValue("false") boolean offline,
        String name,
        Integer threads,
        @DefaultValue("512MB") DataSize kvCache,
        @DefaultValue("64") int maxRunningSequences,
        @DefaultValue("1024") int maxWaiting,
        @DefaultValue("512") int maxBatchTokens,
        @DefaultValue("256") int prefillChunk) {

    /** The engine settings every version gets unless it has its own KV cache size. */
    public EngineConfig engineConfig() {
        return new EngineConfig(kvCache.toBytes(), EngineConfig.defaults().blockSize(), maxRunningSequences,
                maxWaiting, maxBatchTokens, prefillChunk, threadCount());
    }

    /** The hub downloads come from: {@code endpoint}, else {@code HF_ENDPOINT}, else Hugging Face. */
    public URI hub() {
        return endpoint != null ? endpoint : ModelDownloader.defaultEndpoint();
    }

    public int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
