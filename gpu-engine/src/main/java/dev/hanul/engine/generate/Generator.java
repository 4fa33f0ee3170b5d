package dev.hanul.engine.generate;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.StopStrings;
import dev.hanul.engine.tokenizer.StreamingDetokenizer;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Generates text for one sequence at a time, as the command line's {@code generate} and {@code chat} do. The sequence
 * owns the whole KV store in order (block i of its table is block i of the store); what stays cached from the last
 * call is reused when the next prompt starts with the same tokens, so a chat does not recompute its history.
 */
public final class Generator {

    private static final int BLOCK_SIZE = 16;

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final int contextLength;
    private final int prefillChunk;
    private final KvStore kv;
    private final ForwardState state;
    private final int[] blockTable;
    private int[] cached = new int[0];

    /**
     * @param contextLength the most tokens (prompt and output) a sequence may hold; at most the model's context
     * @param prefillChunk  how many prompt tokens one forward pass processes
     */
    public Generator(LlamaModel model, Tokenizer tokenizer, int contextLength, int prefillChunk) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.contextLength = Math.min(contextLength, model.config().contextLength());
        this.prefillChunk = prefillChunk;
        int blocks = (this.contextLength + BLOCK_SIZE - 1) / BLOCK_SIZE;
        this.kv = model.backend().allocateKv(model.config().blockCount(), blocks * BLOCK_SIZE, model.config().kvDim());
        this.state = model.newState(prefillChunk, 1);
        this.blockTable = AttentionBatch.identityTable(blocks * BLOCK_SIZE, BLOCK_SIZE);
    }

    public int contextLength() {
        return contextLength;
    }

    /** Tokenizes a raw prompt (special tokens in it are honored; BOS added when the model wants one) and generates. */
    public Generation generate(String prompt, SamplingParams params, Consumer<String> onText) {
        int[] text = tokenizer.encode(prompt, true);
        // An empty prompt starts from BOS even for models that do not add one, as llama.cpp does.
        boolean wantsBos = tokenizer.addBos() || text.length == 0;
        boolean bos = wantsBos && tokenizer.bos() >= 0 && (text.length == 0 || text[0] != tokenizer.bos());
        int[] tokens = bos ? prepend(tokenizer.bos(), text) : text;
        return generate(tokens, params, onText);
    }

    /** Generates after {@code prompt} (token ids), streaming text deltas to {@code onText}. */
    public Generation generate(int[] prompt, SamplingParams params, Consumer<String> onText) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("The prompt is empty: give at least one token (e.g. BOS)");
        }
        if (prompt.length >= contextLength) {
            throw new IllegalArgumentException(("The prompt has %d tokens but the context holds %d: shorten the "
                    + "prompt or raise the context length").formatted(prompt.length, contextLength));
        }
        long start = System.nanoTime();
        int reused = commonPrefix(prompt);
        if (reused == prompt.length) {
            reused--; // the last prompt token must run again to produce logits
        }
        float[] logits = prefill(prompt, reused);
        long firstToken = System.nanoTime();

        Sampler sampler = new Sampler(params);
        StreamingDetokenizer detokenizer = tokenizer.newDetokenizer();
        StopStrings stops = new StopStrings(params.stop());
        int vocabulary = model.config().vocabularySize();
        int[] sequence = Arrays.copyOf(prompt, contextLength);
        int length = prompt.length;
        int[] output = new int[params.maxTokens()];
        int produced = 0;
        StringBuilder text = new StringBuilder();
        FinishReason reason = FinishReason.LENGTH;
        while (true) {
            int token = sampler.sample(logits, 0, vocabulary);
            if (tokenizer.stopTokens().contains(token)) {
                reason = FinishReason.STOP;
                break;
            }
            output[produced++] = token;
            sequence[length++] = token;
            emit(stops.push(detokenizer.push(token)), text, onText);
            if (stops.stopped()) {
                reason = FinishReason.STOP;
                break;
            }
            if (produced == params.maxTokens() || length == contextLength) {
                break;
            }
            logits = step(token, length - 1);
        }
        emit(stops.push(detokenizer.flush()), text, onText);
        emit(stops.flush(), text, onText);
        cached = Arrays.copyOf(sequence, length);
        return new Generation(text.toString(), Arrays.copyOf(output, produced), reason, prompt.length,
                prompt.length - reused, firstToken - start, System.nanoTime() - firstToken);
    }

    private float[] prefill(int[] prompt, int from) {
        float[] logits = null;
        for (int chunkStart = from; chunkStart < prompt.length; chunkStart += prefillChunk) {
            int start = chunkStart;
            int end = Math.min(prompt.length, start + prefillChunk);
            int[] positions = new int[end - start];
            Arrays.setAll(positions, i -> start + i);
            int[] logitRow = end == prompt.length ? new int[] {positions.length - 1} : new int[0];
            logits = model.forward(state, Arrays.copyOfRange(prompt, start, end), batch(positions), kv, logitRow);
        }
        return logits;
    }

    private float[] step(int token, int position) {
        return model.forward(state, new int[] {token}, batch(new int[] {position}), kv, new int[] {0});
    }

    private AttentionBatch batch(int[] positions) {
        return AttentionBatch.ofContiguousSequence(positions, blockTable, BLOCK_SIZE);
    }

    private int commonPrefix(int[] prompt) {
        int n = Math.min(prompt.length, cached.length);
        int i = 0;
        while (i < n && prompt[i] == cached[i]) {
            i++;
        }
        return i;
    }

    private static void emit(String delta, StringBuilder text, Consumer<String> onText) {
        if (!delta.isEmpty()) {
            text.append(delta);
            onText.accept(delta);
        }
    }

    private static int[] prepend(int first, int[] rest) {
        int[] all = new int[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
