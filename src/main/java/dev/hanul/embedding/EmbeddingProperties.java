package dev.hanul.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How texts are embedded ({@code hanul.embedding.}).
 *
 * @param threads ONNX Runtime's intra-op threads per text; 0 lets it use every core
 */
@ConfigurationProperties("hanul.embedding")
public record EmbeddingProperties(@DefaultValue("0") int threads) {

    public EmbeddingProperties {
        if (threads < 0) {
            throw new IllegalArgumentException("hanul.embedding.threads must be 0 (all cores) or more, got " + threads);
        }
    }
}
