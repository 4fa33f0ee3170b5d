package dev.hanul.finetune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which examples each optimizer step trains on: every epoch visits the training split once, in an order drawn from
 * the job's seed and the epoch, in batches of {@code batchSize} (the epoch's last one may be smaller). A step's batch
 * depends on nothing but its number, so a job resumed from a checkpoint sees the batches the uninterrupted job would.
 */
record BatchPlan(int examples, int batchSize, int epochs, long seed) {

    int stepsPerEpoch() {
        return (examples + batchSize - 1) / batchSize;
    }

    int totalSteps() {
        return stepsPerEpoch() * epochs;
    }

    /** The epoch of a step, from 1. */
    int epoch(int step) {
        return (step - 1) / stepsPerEpoch() + 1;
    }

    /** The indices into the training split of step {@code step}'s batch (steps count from 1). */
    List<Integer> batch(int step) {
        int epoch = epoch(step) - 1;
        int within = (step - 1) % stepsPerEpoch();
        List<Integer> order = new ArrayList<>(examples);
        for (int i = 0; i < examples; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 31 + epoch));
        return List.copyOf(order.subList(within * batchSize, Math.min(examples, (within + 1) * batchSize)));
    }
}
