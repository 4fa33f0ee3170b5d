package dev.hanul.engine;

import dev.hanul.engine.sampling.Logprobs;

/**
 * What a request's stream carries: its tokens as they are sampled, then one {@link Finished} per sample. Events of
 * one sample arrive in order; {@code index} tells the samples of a request with n > 1 apart. The stream completes
 * after the last {@code Finished}.
 */
public sealed interface GenerationEvent permits GenerationEvent.Token, GenerationEvent.Finished {

    /** Which of the request's n samples this event belongs to, from 0. */
    int index();

    /**
     * A generated token. Stop tokens end a sample without a token event.
     *
     * @param text     the text this token releases: whole characters, never part of a stop string; empty when the
     *                 token only starts a character or a possible stop string, or the engine has no tokenizer
     * @param logprobs the token's log probability and the top alternatives, when the request asked for them; null
     *                 otherwise
     */
    record Token(int index, int token, String text, Logprobs logprobs) implements GenerationEvent {
    }

    /**
     * A sample ended. A {@link FinishReason#STOP} names what stopped it in exactly one of {@code stopToken} and
     * {@code stopString}, so that APIs can report it (vLLM's stop_reason, TGI's last token); other reasons have
     * neither.
     *
     * @param text       text held back until the end (the start of what might have been a stop string, or the
     *                   bytes of an unfinished character), usually empty
     * @param usage      the request's usage so far; the request's last {@code Finished} carries its totals
     * @param message    what went wrong, for {@link FinishReason#ERROR}; null otherwise
     * @param stopToken  the token that ended the sample: one of the model's end-of-sequence tokens or of the
     *                   request's stop_token_ids (sampled and counted in usage, but sent without a token event);
     *                   null otherwise
     * @param stopString the request's stop string found in the text (left out of it); null otherwise
     * @param scheduledNanos {@link System#nanoTime()} when the scheduler first gave the request a step, which ends
     *                   its time in the queue and starts its prefill (vLLM's scheduled timestamp); null when it
     *                   finished (cancelled, refused) without ever being scheduled
     */
    record Finished(int index, FinishReason reason, String text, Usage usage, String message, Integer stopToken,
                    String stopString, Long scheduledNanos) implements GenerationEvent {
    }
}
