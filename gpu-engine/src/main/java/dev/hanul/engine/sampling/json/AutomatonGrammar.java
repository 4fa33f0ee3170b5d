package dev.hanul.engine.sampling.json;

import dev.hanul.engine.chat.ToolCallFormat;
import dev.hanul.engine.sampling.TokenConstraint;
import dev.hanul.engine.tokenizer.Tokenizer;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.RunAutomaton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Constrained decoding by a finite automaton over UTF-8 bytes: the output must spell a text the automaton accepts.
 * Made from a JSON Schema ({@link #jsonSchema}, OpenAI's {@code response_format: json_schema}, vLLM's
 * {@code guided_json}, TGI's {@code grammar: {type: json}}), a regular expression ({@link #regex}, vLLM's
 * {@code guided_regex}, TGI's {@code grammar: {type: regex}}) or a list of choices ({@link #choice}, vLLM's
 * {@code guided_choice}). The schema or regex is compiled once into a minimal DFA; for each DFA state a generation
 * reaches, the tokens whose bytes the DFA can read from it are found by walking the vocabulary in sorted byte order
 * ({@link VocabularyBytes}) and remembered, since generations revisit few states. Build one per request (compiling
 * costs milliseconds for typical schemas) and share it among the request's samples; thread-safe.
 */
public final class AutomatonGrammar implements TokenConstraint.Factory {

    /** Memory for the remembered allowed sets of one grammar. */
    private static final long CACHE_BYTES = 32L << 20;

    private final RunAutomaton dfa;
    private final VocabularyBytes vocabulary;
    private final boolean[] terminal;
    private final int cachedStates;
    private final Map<Integer, long[]> allowedByState;

    private AutomatonGrammar(Automaton automaton, Tokenizer tokenizer) {
        if (automaton.isEmpty()) {
            throw new IllegalArgumentException("the constraint accepts no text at all");
        }
        this.dfa = new RunAutomaton(automaton, true);
        this.vocabulary = VocabularyBytes.of(tokenizer);
        this.terminal = new boolean[dfa.getSize()];
        for (int state = 0; state < terminal.length; state++) {
            boolean any = false;
            for (int b = 0; b < 256 && !any; b++) {
                any = dfa.step(state, (char) b) >= 0;
            }
            terminal[state] = !any;
        }
        this.cachedStates = (int) Math.max(16, CACHE_BYTES / Math.max(8, vocabulary.size / 8));
        this.allowedByState = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, long[]> eldest) {
                return size() > cachedStates;
            }
        };
    }

    /** Output that is JSON valid against {@code schema} (JSON Schema text); see {@link JsonSchemaCompiler}. */
    public static AutomatonGrammar jsonSchema(Tokenizer tokenizer, String schema) {
        return new AutomatonGrammar(JsonSchemaCompiler.compile(schema), tokenizer);
    }

    /** Output that {@code regex} matches in full; see {@link RegexCompiler} for the syntax. */
    public static AutomatonGrammar regex(Tokenizer tokenizer, String regex) {
        Automaton automaton = RegexCompiler.compile(regex);
        automaton.minimize();
        return new AutomatonGrammar(automaton, tokenizer);
    }

    /** Output that is exactly one of {@code choices}. */
    public static AutomatonGrammar choice(Tokenizer tokenizer, List<String> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("guided_choice needs at least one choice");
        }
        Automaton automaton = Automaton.union(choices.stream().map(Utf8Automata::literal).toList());
        automaton.minimize();
        return new AutomatonGrammar(automaton, tokenizer);
    }

    /**
     * Output that is a call of one of {@code functions}, written in the model's {@code format}, with arguments valid
     * against the function's parameter schema: what {@code tool_choice: "required"} or a named function needs so the
     * call always parses. With {@code parallel}, one or more calls.
     */
    public static AutomatonGrammar toolCalls(Tokenizer tokenizer, ToolCallFormat format, List<Function> functions,
                                             boolean parallel) {
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("a tool call constraint needs at least one function");
        }
        List<Automaton> calls = new java.util.ArrayList<>();
        for (Function function : functions) {
            calls.add(Automaton.concatenate(List.of(
                    Utf8Automata.literal("{\"name\": " + JsonSchemaCompiler.quote(function.name()) + ", \""
                            + format.argumentsKey() + "\": "),
                    JsonSchemaCompiler.compile(function.parameters() == null ? "{\"type\": \"object\"}"
                            : function.parameters()),
                    Utf8Automata.literal("}"))));
        }
        Automaton call = Automaton.union(calls);
        Automaton automaton;
        if (format.array()) {
            Automaton list = parallel
                    ? call.concatenate(Utf8Automata.literal(", ").concatenate(call).repeat()) : call;
            automaton = Automaton.concatenate(List.of(Utf8Automata.literal(format.open() + "["), list,
                    Utf8Automata.literal("]" + format.close())));
        } else if (format.open().isEmpty()) {
            automaton = parallel ? call.concatenate(Utf8Automata.literal("; ").concatenate(call).repeat()) : call;
        } else {
            Automaton one = Automaton.concatenate(List.of(Utf8Automata.literal(format.open() + "\n"), call,
                    Utf8Automata.literal("\n" + format.close())));
            automaton = parallel ? one.concatenate(Utf8Automata.literal("\n").concatenate(one).repeat()) : one;
        }
        automaton.minimize();
        return new AutomatonGrammar(automaton, tokenizer);
    }

    /** A function a tool call may name: its name and its parameters' JSON Schema (null: any object). */
    public record Function(String name, String parameters) {
    }

    /** States of the compiled DFA: a measure of the constraint's size. */
    public int states() {
        return dfa.getSize();
    }

    @Override
    public TokenConstraint create() {
        return new AutomatonConstraint(this);
    }

    int initialState() {
        return dfa.getInitialState();
    }

    int vocabularySize() {
        return vocabulary.size;
    }

    /** The state after the token's bytes, or -1 when the DFA cannot read them. */
    int advance(int state, byte[] bytes) {
        for (byte b : bytes) {
            state = dfa.step(state, (char) (b & 0xFF));
            if (state < 0) {
                return -1;
            }
        }
        return state;
    }

    int advance(int state, int token) {
        return token < 0 || token >= vocabulary.size ? -1 : advance(state, vocabulary.byId[token]);
    }

    boolean accepts(int state) {
        return dfa.isAccept(state);
    }

    /** Whether nothing can follow: the text is whole and may not grow. */
    boolean terminal(int state) {
        return terminal[state];
    }

    /** The tokens the DFA can read from {@code state}, as a bit set (bit t of word t / 64). */
    long[] allowed(int state) {
        synchronized (allowedByState) {
            long[] cached = allowedByState.get(state);
            if (cached != null) {
                return cached;
            }
        }
        long[] allowed = compute(state);
        synchronized (allowedByState) {
            allowedByState.put(state, allowed);
        }
        return allowed;
    }

    private long[] compute(int start) {
        long[] allowed = new long[(vocabulary.size + 63) / 64];
        // states[k]: the DFA state after the first k bytes of the previous token (-1: dead), valid up to `known`.
        int[] states = new int[vocabulary.longest + 1];
        states[0] = start;
        int known = 0;
        for (int i = 0; i < vocabulary.order.length; i++) {
            byte[] bytes = vocabulary.bytes[i];
            int k = Math.min(vocabulary.sharedPrefix[i], known);
            int state = states[k];
            while (state >= 0 && k < bytes.length) {
                state = dfa.step(state, (char) (bytes[k] & 0xFF));
                states[++k] = state;
            }
            known = k;
            if (state >= 0) {
                int id = vocabulary.order[i];
                allowed[id >>> 6] |= 1L << id;
            }
        }
        return allowed;
    }
}
