package dev.hanul.finetune;

import dev.hanul.eval.Evaluations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A job's held-out examples as evaluation items: each conversation up to its last learned assistant turn is the
 * prompt, and that turn is the reference answer, so the evaluation asks the model exactly what training taught it
 * to answer and scores the answer it gives (exact match, F1). An example whose last learned turn does not follow a
 * user's turn cannot be asked as a question and is left out.
 */
final class HeldOutItems {

    private HeldOutItems() {
    }

    /**
     * @param heldOut the held-out examples (of {@code source}'s file), the first {@code limit} of them used
     * @param source  the parsed lines of the file they were held out of
     */
    static List<Evaluations.ChatItem> of(List<TokenizedExample> heldOut, List<ChatExample> source, int limit) {
        Map<Integer, ChatExample> byLine = source.stream()
                .collect(Collectors.toMap(ChatExample::line, Function.identity()));
        List<Evaluations.ChatItem> items = new ArrayList<>();
        for (TokenizedExample example : heldOut.stream().limit(limit).toList()) {
            ChatExample chat = byLine.get(example.line());
            if (chat != null) {
                item(chat).ifPresent(items::add);
            }
        }
        return items;
    }

    static Optional<Evaluations.ChatItem> item(ChatExample example) {
        List<ChatExample.Message> messages = example.messages();
        int answer = messages.size() - 1;
        while (answer >= 0 && !messages.get(answer).learned()) {
            answer--;
        }
        if (answer < 1 || !messages.get(answer - 1).role().equals("user")) {
            return Optional.empty();
        }
        List<Evaluations.Turn> prompt = messages.subList(0, answer).stream()
                .map(message -> new Evaluations.Turn(message.role(), message.content())).toList();
        return Optional.of(new Evaluations.ChatItem("line " + example.line(), prompt,
                List.of(messages.get(answer).content())));
    }
}
