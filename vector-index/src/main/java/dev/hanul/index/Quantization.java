package dev.hanul.index;

/**
 * How the HNSW graph stores vectors for scoring. Quantized formats keep the raw floats as well (so vectors can be
 * read back) but search over compact codes: less memory and faster scoring, at some loss of recall.
 */
public enum Quantization {
    /** Full 32-bit floats. */
    NONE,
    /** One byte per dimension. */
    INT8,
    /** Half a byte per dimension. */
    INT4
}
