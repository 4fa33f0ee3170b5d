package dev.hanul.finetune;

import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Conversations through the base model's own chat template and tokenizer, with the loss on the learned assistant
 * turns only. Where an assistant turn starts and ends in the rendered text is found by rendering the conversation up
 * to it twice: with the generation prompt (where the turn's text starts) and including it (where it ends, with the
 * template's end-of-turn marker, which the model must learn to write). Each piece is encoded on its own with special
 * tokens honoured (the markers come from the template; what messages say could spell them, as in every trainer that
 * renders the template), BOS first when the model wants one.
 */
final class ChatTokens {

    private final ChatTemplate template;
    private final Tokenizer tokenizer;
    private final int window;

    ChatTokens(ChatTemplate template, Tokenizer tokenizer, int window) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.window = window;
    }

    int window() {
        return window;
    }

    /** Every example tokenized, or the lines that do not fit the window or the template. */
    record Result(List<TokenizedExample> examples, List<LineProblem> problems) {

        long tokens() {
            return examples.stream().mapToLong(example -> example.tokens().length).sum();
        }
    }

    Result tokenize(List<ChatExample> examples) {
        List<TokenizedExample> tokenized = new ArrayList<>();
        List<LineProblem> problems = new ArrayList<>();
        for (ChatExample example : examples) {
            try {
                TokenizedExample one = tokenize(example);
                if (one.tokens().length > window) {
                    problems.add(new LineProblem(example.line(), "%d tokens with the model's chat template, longer "
                            .formatted(one.tokens().length) + "than its window of " + window + " tokens; shorten "
                            + "the conversation or split it"));
                } else {
                    tokenized.add(one);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add(new LineProblem(example.line(), "the model's chat template refuses it: "
                        + e.getMessage()));
            }
        }
        return new Result(tokenized, problems);
    }

    TokenizedExample tokenize(ChatExample example) {
        List<ChatExample.Message> messages = example.messages();
        String full = template.render(example.templateMessages(messages.size()), false);
        // Character boundaries: [start, end) of each learned assistant turn, in order.
        List<int[]> learned = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).learned()) {
                continue;
            }
            String before = template.render(example.templateMessages(i), true);
            String through = template.render(example.templateMessages(i + 1), false);
            if (!through.startsWith(before) || !full.startsWith(through)) {
                throw new IllegalStateException("its rendering of assistant turn " + i + " does not extend the "
                        + "conversation before it, so the turn's tokens cannot be told apart");
            }
            learned.add(new int[] {before.length(), through.length()});
        }
        List<Integer> tokens = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        if (tokenizer.addBos() && tokenizer.bos() >= 0) {
            tokens.add(tokenizer.bos());
            weights.add(0f);
        }
        int at = 0;
        for (int[] turn : learned) {
            append(full.substring(at, turn[0]), 0f, tokens, weights);
            append(full.substring(turn[0], turn[1]), 1f, tokens, weights);
            at = turn[1];
        }
        append(full.substring(at), 0f, tokens, weights);
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        float[] lossWeights = new float[weights.size()];
        for (int i = 0; i < lossWeights.length; i++) {
            lossWeights[i] = weights.get(i);
        }
        return new TokenizedExample(example.line(), ids, lossWeights);
    }

    private void append(String text, float weight, List<Integer> tokens, List<Float> weights) {
        if (text.isEmpty()) {
            return;
        }
        for (int id : tokenizer.encode(text, new BitSet())) {
            tokens.add(id);
            weights.add(weight);
        }
    }
}
