package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.text.ChunkSplitter;
import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.PiiRedactor;
import dev.hanul.ingest.text.TextCleaner;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The text-processing steps of the pipeline, set up from {@link IngestProperties}. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    DocumentParser documentParser(IngestProperties properties) {
        return new DocumentParser(properties.maxTextChars());
    }

    @Bean
    TextCleaner textCleaner() {
        return new TextCleaner();
    }

    @Bean
    PiiRedactor piiRedactor(IngestProperties properties) {
        return new PiiRedactor(properties.redactPii() ? properties.piiTypes() : Set.of());
    }

    /** Counts with the embedding model's own tokenizer, so every chunk fits what the model sees. */
    @Bean
    ChunkSplitter chunkSplitter(IngestProperties properties, Embedder embedder) {
        return new ChunkSplitter(embedder::countTokens, properties.chunkTokens(), properties.chunkOverlap());
    }
}
