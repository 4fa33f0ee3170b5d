package dev.hanul.engine.gguf;

/** The metadata value types of the GGUF format, with their ids in the file. */
public enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    static GgufValueType byId(int id) {
        return id >= 0 && id < values().length ? values()[id] : null;
    }

    int id() {
        return ordinal();
    }
}
