package dev.hanul.engine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs examples into rows of at most {@code sequenceLength} tokens, in their order (a new row starts when the next
 * example does not fit), so that short chat examples do not each pay for a row of padding. The attention mask keeps
 * packed examples apart ({@link PackedRow#sequenceStart()}), so packing changes speed, never the loss.
 */
final class SequencePacker {

    private final int sequenceLength;

    SequencePacker(int sequenceLength) {
        this.sequenceLength = sequenceLength;
    }

    List<PackedRow> pack(List<TrainingExample> examples) {
        List<PackedRow> rows = new ArrayList<>();
        List<TrainingExample> current = new ArrayList<>();
        int used = 0;
        for (int e = 0; e < examples.size(); e++) {
            TrainingExample example = examples.get(e);
            if (example.length() > sequenceLength) {
                throw new IllegalArgumentException(("example %d has %d tokens, more than the sequence length %d: "
                        + "shorten it or raise sequenceLength").formatted(e, example.length(), sequenceLength));
            }
            if (used + example.length() > sequenceLength) {
                rows.add(row(current, used));
                current.clear();
                used = 0;
            }
            current.add(example);
            used += example.length();
        }
        if (!current.isEmpty()) {
            rows.add(row(current, used));
        }
        return rows;
    }

    private static PackedRow row(List<TrainingExample> examples, int length) {
        int[] tokens = new int[length];
        int[] positions = new int[length];
        int[] starts = new int[length];
        int[] targets = new int[length];
        float[] weights = new float[length];
        int at = 0;
        for (TrainingExample example : examples) {
            int n = example.length();
            System.arraycopy(example.tokens(), 0, tokens, at, n);
            for (int i = 0; i < n; i++) {
                positions[at + i] = i;
                starts[at + i] = at;
                boolean last = i == n - 1;
                targets[at + i] = last ? -1 : example.tokens()[i + 1];
                weights[at + i] = last ? 0f : example.lossWeights()[i + 1];
            }
            at += n;
        }
        return new PackedRow(tokens, positions, starts, targets, weights);
    }
}
