package dev.hanul.engine.lora;

/**
 * The matrices of a transformer block an adapter may change, by their GGUF names ({@code blk.N.<name>.weight}, as
 * llama.cpp names them). Fused base matrices (Phi-3's {@code attn_qkv}, its gate+up {@code ffn_up}) are adapted
 * through the targets they concatenate.
 */
public enum LoraTarget {
    QUERY("attn_q"),
    KEY("attn_k"),
    VALUE("attn_v"),
    ATTENTION_OUTPUT("attn_output"),
    GATE("ffn_gate"),
    UP("ffn_up"),
    DOWN("ffn_down");

    private final String tensorName;

    LoraTarget(String tensorName) {
        this.tensorName = tensorName;
    }

    /** The base tensor's name in layer {@code layer}: {@code blk.<layer>.<name>.weight}. */
    public String tensorName(int layer) {
        return "blk." + layer + "." + tensorName + ".weight";
    }

    /** The short name, as in GGUF tensor names ({@code attn_q}, {@code ffn_down}, ...). */
    public String shortName() {
        return tensorName;
    }
}
