package dev.hanul.chat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.InferenceFailure.Rejected;
import dev.hanul.inference.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the conversation a model sees within its window: the system messages and the question always, then as many
 * of the newest earlier turns as the history budget allows, then as many sources as the rest of the window holds,
 * leaving the answer its reserve. Every step is measured on the whole rendered prompt, so chat-template overhead is
 * counted exactly. Sources keep their retrieval order and are numbered in prompt order; a source too long for what
 * is left is skipped, and a shorter one after it may still fit.
 */
public final class ContextAssembler {

    /** The tokens of a conversation as the model receives it (chat template applied, generation prompt included). */
    @FunctionalInterface
    public interface TokenCounter {
        int count(List<ChatMessage> conversation);
    }

    /** Writes the prompt's turn from the question and the numbered sources (a {@link PromptTemplate}). */
    @FunctionalInterface
    public interface TurnWriter {
        PromptTurn render(String question, List<Citation> sources);
    }

    /**
     * @param window        the most tokens the model holds: prompt and answer together
     * @param answerTokens  reserved for the answer
     * @param historyTokens the most tokens earlier turns may add to the prompt
     */
    public record Budget(int window, int answerTokens, int historyTokens) {

        int promptLimit() {
            return window - answerTokens;
        }
    }

    /**
     * @param messages        the conversation to render and send
     * @param citations       the sources the prompt quotes, by marker
     * @param promptTokens    the tokens of {@code messages}
     * @param historyMessages how many earlier messages were kept (the newest ones)
     */
    public record Assembled(List<ChatMessage> messages, List<Citation> citations, int promptTokens,
                            int historyMessages) {
    }

    private final TokenCounter counter;

    public ContextAssembler(TokenCounter counter) {
        this.counter = counter;
    }

    /**
     * @param system   system messages, first in the prompt
     * @param history  earlier messages, oldest first
     * @param passages retrieved passages, best first; empty when retrieval is off or found nothing
     * @throws Rejected when the system messages and the question alone leave no room for the answer
     */
    public Assembled assemble(List<ChatMessage> system, List<ChatMessage> history, String question,
            List<Passage> passages, TurnWriter writer, Budget budget) {
        int base = counter.count(conversation(system, List.of(), writer.render(question, List.of())));
        if (base > budget.promptLimit()) {
            throw new Rejected(Parameter.MESSAGES, names -> ("%s: the system messages and the question take %d "
                    + "tokens, and with %d reserved for the answer that exceeds the model's window of %d tokens; "
                    + "shorten them or ask for a smaller %s.").formatted(names.of(Parameter.MESSAGES), base,
                    budget.answerTokens(), budget.window(), names.of(Parameter.MAX_TOKENS)));
        }
        List<ChatMessage> kept = newestTurns(system, history, question, writer, budget, base);
        List<Citation> citations = new ArrayList<>();
        for (Passage passage : passages) {
            List<Citation> candidate = new ArrayList<>(citations);
            candidate.add(Citation.of(citations.size() + 1, passage));
            if (counter.count(conversation(system, kept, writer.render(question, candidate)))
                    <= budget.promptLimit()) {
                citations = candidate;
            }
        }
        List<ChatMessage> messages = conversation(system, kept, writer.render(question, citations));
        return new Assembled(messages, List.copyOf(citations), counter.count(messages), kept.size());
    }

    /** Whole turns, newest first, while they fit both the history budget and the window. */
    private List<ChatMessage> newestTurns(List<ChatMessage> system, List<ChatMessage> history, String question,
            TurnWriter writer, Budget budget, int base) {
        PromptTurn bare = writer.render(question, List.of());
        List<ChatMessage> kept = new ArrayList<>();
        for (List<ChatMessage> turn : turns(history).reversed()) {
            List<ChatMessage> candidate = new ArrayList<>(turn);
            candidate.addAll(kept);
            int tokens = counter.count(conversation(system, candidate, bare));
            if (tokens - base > budget.historyTokens() || tokens > budget.promptLimit()) {
                break;
            }
            kept = candidate;
        }
        return kept;
    }

    /** A turn starts at each user message and holds the replies that follow it. */
    private static List<List<ChatMessage>> turns(List<ChatMessage> history) {
        List<List<ChatMessage>> turns = new ArrayList<>();
        for (ChatMessage message : history) {
            if (turns.isEmpty() || message.role().equals("user")) {
                turns.add(new ArrayList<>());
            }
            turns.getLast().add(message);
        }
        return turns;
    }

    private static List<ChatMessage> conversation(List<ChatMessage> system, List<ChatMessage> history,
            PromptTurn turn) {
        List<ChatMessage> messages = new ArrayList<>(system);
        if (turn.system() != null) {
            messages.add(ChatMessage.system(turn.system()));
        }
        messages.addAll(history);
        messages.add(ChatMessage.user(turn.user()));
        return messages;
    }
}
