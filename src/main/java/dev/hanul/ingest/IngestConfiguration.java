package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.text.ChunkSplitter;
import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.Ocr;
import dev.hanul.ingest.text.PiiRedactor;
import dev.hanul.ingest.text.TextCleaner;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The text-processing steps of the pipeline, set up from {@link IngestProperties}. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    DocumentParser documentParser(IngestProperties properties) {
        Ocr ocr = Ocr.detect(properties.ocrLanguages());
        LoggerFactory.getLogger(DocumentParser.class).info("OCR for images and scanned pages: {}", ocr.reason());
        return new DocumentParser(properties.maxTextChars(), ocr);
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
