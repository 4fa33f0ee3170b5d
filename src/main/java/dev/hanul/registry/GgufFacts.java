package dev.hanul.registry;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.model.LlamaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a GGUF file is, read from its header without loading it: enough to describe a version and to know how much
 * memory it will take before it is loaded.
 *
 * @param quantization the weight type that holds most of the file's tensor bytes (Q4_1, Q8_0, F16, ...)
 * @param kvBytesPerToken keys and values of one token over all layers, as the engine stores them (32-bit floats)
 */
record GgufFacts(long sizeBytes, String architecture, String quantization, int contextLength, long kvBytesPerToken) {

    /** The CPU backend keeps keys and values as 32-bit floats (see InferenceEngine). */
    private static final int KV_BYTES_PER_VALUE = Float.BYTES;

    static GgufFacts read(Path file) {
        try (GgufFile gguf = GgufFile.open(file)) {
            LlamaConfig config = LlamaConfig.from(gguf);
            Map<GgmlType, Long> bytesByType = new EnumMap<>(GgmlType.class);
            for (GgufTensor tensor : gguf.tensors().values()) {
                bytesByType.merge(tensor.type(), tensor.data().byteSize(), Long::sum);
            }
            String quantization = bytesByType.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(entry -> entry.getKey().name()).orElse("none");
            long perToken = 2L * config.blockCount() * config.kvDim() * KV_BYTES_PER_VALUE;
            return new GgufFacts(Files.size(file), config.architecture(), quantization, config.contextLength(),
                    perToken);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The KV cache an engine with {@code config} allocates for this model: whole blocks within its memory. */
    long kvCacheBytes(EngineConfig config) {
        return (long) config.blocks(kvBytesPerToken) * config.blockSize() * kvBytesPerToken;
    }
}
