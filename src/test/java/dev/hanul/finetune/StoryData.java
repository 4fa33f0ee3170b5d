package dev.hanul.finetune;

import java.util.StringJoiner;

/**
 * Small chat datasets in the tiny story model's words (stories260K knows only children's stories): each question
 * about a child gets the same short answer shape, something a few steps of LoRA can learn.
 */
final class StoryData {

    private static final String[] NAMES = {"Lily", "Tim", "Sue", "Ben", "Max", "Mia", "Tom", "Ann", "Sam", "Zoe",
        "Jack", "Amy", "Bob", "Kim", "Leo", "Eva"};
    private static final String[] THINGS = {"ball", "cat", "dog", "toy", "cake", "tree", "park", "boat"};

    private StoryData() {
    }

    static String jsonl(int examples) {
        return jsonl(0, examples);
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive) of the same sequence. */
    static String jsonl(int from, int to) {
        var lines = new StringJoiner("\n");
        for (int i = from; i < to; i++) {
            String name = NAMES[i % NAMES.length];
            String thing = THINGS[(i / NAMES.length + i) % THINGS.length];
            lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"What did " + name + " like?\"}, "
                    + "{\"role\": \"assistant\", \"content\": \"" + name + " liked the " + thing + ".\"}]}");
        }
        return lines.toString();
    }
}
