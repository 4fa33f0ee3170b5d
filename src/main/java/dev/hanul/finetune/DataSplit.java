package dev.hanul.finetune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The training and validation examples of a job. Without a validation file, a seeded share of the training file is
 * held out (at least one example once the file has ten), so the same job always splits the same way, after a
 * restart too.
 */
record DataSplit<T>(List<T> train, List<T> validation) {

    static <T> DataSplit<T> of(List<T> training, List<T> validationFile, double fraction, long seed) {
        if (validationFile != null) {
            return new DataSplit<>(List.copyOf(training), List.copyOf(validationFile));
        }
        int held = (int) Math.floor(training.size() * fraction);
        if (held == 0 && fraction > 0 && training.size() >= 10) {
            held = 1;
        }
        List<T> shuffled = new ArrayList<>(training);
        Collections.shuffle(shuffled, new Random(seed));
        return new DataSplit<>(List.copyOf(shuffled.subList(held, shuffled.size())),
                List.copyOf(shuffled.subList(0, held)));
    }
}
