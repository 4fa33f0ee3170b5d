package dev.hanul.ingest.text;

/** Counts tokens the way the embedding model will see them, so chunks fit its window. */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);
}
