package dev.hanul.chat;

/**
 * What a prompt template writes for one question: the user's turn and, when the template has one, a system message
 * that goes before the conversation's history (where small models follow the sources best).
 *
 * @param system the template's system message, or null
 * @param user   the user's turn
 */
public record PromptTurn(String system, String user) {

    public static PromptTurn userOnly(String user) {
        return new PromptTurn(null, user);
    }
}
