package dev.hanul.engine.bench;

import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.sampling.TokenConstraint;
import dev.hanul.engine.sampling.json.AutomatonGrammar;
import dev.hanul.engine.sampling.json.JsonObjectGrammar;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Random;

/**
 * What constrained decoding costs per token, without the model: a constraint follows a fixed valid JSON text token by
 * token (the tokenizer's own tokens of it) and masks a logit row before each, as the sampler does. The first pass over
 * the text meets every state for the first time (the allowed set is computed); the later passes find them cached.
 * Also the time to compile the schema. Run: {@code java --add-modules jdk.incubator.vector -cp ... 
 * dev.hanul.engine.bench.ConstraintBenchmark MODEL.gguf}; prints Markdown rows for docs/benchmarks.md.
 */
public final class ConstraintBenchmark {

    static final String SCHEMA = """
            {"type": "object", "additionalProperties": false,
             "properties": {"city": {"type": "string", "maxLength": 40},
                            "population": {"type": "integer", "minimum": 0, "maximum": 50000000},
                            "capital": {"type": "boolean"},
                            "founded": {"type": "string", "format": "date"},
                            "rivers": {"type": "array", "items": {"type": "string"}, "maxItems": 5}},
             "required": ["city", "population", "capital", "founded", "rivers"]}""";
    static final String TEXT = "{\"city\": \"Paris\", \"population\": 2102650, \"capital\": true, "
            + "\"founded\": \"0250-01-01\", \"rivers\": [\"Seine\", \"Marne\", \"Bièvre\"]}";

    private ConstraintBenchmark() {
    }

    public static void main(String[] args) {
        try (GgufFile gguf = GgufFile.open(Path.of(args[0]))) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            int[] tokens = tokenizer.encode(TEXT);
            String name = Path.of(args[0]).getFileName().toString();
            long start = System.nanoTime();
            AutomatonGrammar schema = AutomatonGrammar.jsonSchema(tokenizer, SCHEMA);
            double compileMs = (System.nanoTime() - start) / 1e6;
            // The first grammar pays for the vocabulary index; a second compile shows the per-request cost.
            start = System.nanoTime();
            schema = AutomatonGrammar.jsonSchema(tokenizer, SCHEMA);
            double recompileMs = (System.nanoTime() - start) / 1e6;
            System.out.printf("%s: %d tokens of vocabulary, the text is %d tokens; schema DFA %d states, compiled in "
                    + "%.1f ms (first, with the vocabulary index) / %.1f ms (again)%n", name,
                    tokenizer.vocabularySize(), tokens.length, schema.states(), compileMs, recompileMs);
            System.out.println("| model | constraint | first pass ms/token | cached ms/token |");
            System.out.println("|---|---|---|---|");
            row(name, "json_schema (automaton)", schema, tokens, tokenizer.vocabularySize());
            row(name, "json_object (recognizer)", new JsonObjectGrammar(tokenizer), tokens,
                    tokenizer.vocabularySize());
        }
    }

    private static void row(String model, String label, TokenConstraint.Factory factory, int[] tokens, int vocabulary) {
        float[] template = new float[vocabulary];
        Random random = new Random(1);
        for (int i = 0; i < vocabulary; i++) {
            template[i] = random.nextFloat();
        }
        float[] logits = new float[vocabulary];
        double first = pass(factory, tokens, template, logits);
        double cached = Double.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            cached = Math.min(cached, pass(factory, tokens, template, logits));
        }
        System.out.printf("| %s | %s | %.3f | %.3f |%n", model, label, first, cached);
    }

    /** Milliseconds per token for masking a fresh row and accepting each token of the text. */
    private static double pass(TokenConstraint.Factory factory, int[] tokens, float[] template, float[] logits) {
        TokenConstraint constraint = factory.create();
        long elapsed = 0;
        for (int token : tokens) {
            System.arraycopy(template, 0, logits, 0, logits.length);
            long start = System.nanoTime();
            constraint.mask(logits, 0, logits.length);
            constraint.accept(token);
            elapsed += System.nanoTime() - start;
            if (logits[token] == Float.NEGATIVE_INFINITY) {
                throw new IllegalStateException("the constraint refused token " + token + " of a valid text");
            }
        }
        if (!constraint.complete()) {
            throw new IllegalStateException("the constraint is not complete after the whole text");
        }
        return elapsed / 1e6 / tokens.length;
    }
}
