package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.engine.lora.LoraTarget;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A job's settings, resolved: OpenAI's hyper-parameters ("auto" replaced by the defaults) and the LoRA adapter's
 * shape. Stored as JSON with the job, so a resumed job trains with exactly what it started with.
 *
 * @param targetModules PEFT's names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)
 */
record JobSettings(@JsonProperty("n_epochs") int epochs, @JsonProperty("batch_size") int batchSize,
                   @JsonProperty("learning_rate_multiplier") double learningRateMultiplier,
                   @JsonProperty("learning_rate") double learningRate, int rank, double alpha, double dropout,
                   @JsonProperty("target_modules") List<String> targetModules,
                   @JsonProperty("warmup_ratio") double warmupRatio) {

    /** PEFT's module names and the engine's targets; GGUF's names (attn_q, ...) and short ones (q, ...) work too. */
    private static final Map<String, LoraTarget> TARGETS = Map.ofEntries(
            Map.entry("q_proj", LoraTarget.QUERY), Map.entry("k_proj", LoraTarget.KEY),
            Map.entry("v_proj", LoraTarget.VALUE), Map.entry("o_proj", LoraTarget.ATTENTION_OUTPUT),
            Map.entry("gate_proj", LoraTarget.GATE), Map.entry("up_proj", LoraTarget.UP),
            Map.entry("down_proj", LoraTarget.DOWN));

    static final List<String> ALL_MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");

    /** The engine's targets for the module names; the names were checked by {@link #moduleName}. */
    Set<LoraTarget> targets() {
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        targetModules.forEach(name -> targets.add(TARGETS.get(name)));
        return targets;
    }

    /**
     * The PEFT name of a module as a request may give it ({@code q_proj}, {@code q}, {@code attn_q}).
     *
     * @throws IllegalArgumentException naming the valid ones
     */
    static String moduleName(String given) {
        String name = given == null ? "" : given.strip().toLowerCase(Locale.ROOT);
        if (TARGETS.containsKey(name)) {
            return name;
        }
        for (var entry : TARGETS.entrySet()) {
            String peft = entry.getKey();
            if (name.equals(peft.substring(0, peft.indexOf('_'))) || name.equals(entry.getValue().shortName())) {
                return peft;
            }
        }
        throw new IllegalArgumentException("unknown target module '" + given + "'; use some of " + ALL_MODULES
                + " (or q, k, v, o, gate, up, down)");
    }

    static List<String> moduleNames(List<String> given) {
        List<String> names = new ArrayList<>();
        for (String module : given) {
            String name = moduleName(module);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        names.sort((a, b) -> ALL_MODULES.indexOf(a) - ALL_MODULES.indexOf(b));
        return List.copyOf(names);
    }
}
