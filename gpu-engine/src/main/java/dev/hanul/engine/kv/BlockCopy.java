package dev.hanul.engine.kv;

/** A block to copy before a step, because a sequence is about to write into a block it shares (copy-on-write). */
public record BlockCopy(int from, int to) {
}
