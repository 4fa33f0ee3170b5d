package dev.hanul.tgi;

/**
 * A generated token as TGI reports it.
 *
 * @param text    the text the token adds; empty while it only starts a character or a possible stop sequence. A
 *                control token shows its own text (e.g. {@code <|im_end|>}), which generated_text leaves out
 * @param logprob its log probability under the model; null where the engine does not report one (the end-of-sequence
 *                token)
 * @param special whether it is a control token (end of sequence, chat markers), whose text clients leave out
 */
public record Token(int id, String text, Float logprob, boolean special) {
}
