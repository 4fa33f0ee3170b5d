package dev.hanul.monitoring;

/** A chunk a RAG prompt was built from, with its retrieval score. */
public record RetrievedChunk(String id, double score) {
}
