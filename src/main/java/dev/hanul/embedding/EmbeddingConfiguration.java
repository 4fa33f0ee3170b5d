package dev.hanul.embedding;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One embedding model per service, shared by ingestion (chunks) and retrieval (queries). */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfiguration {

    @Bean(destroyMethod = "close")
    Embedder embedder(EmbeddingProperties properties) {
        return Embedder.load(properties);
    }
}
