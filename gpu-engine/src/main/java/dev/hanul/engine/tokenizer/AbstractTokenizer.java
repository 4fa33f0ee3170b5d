package dev.hanul.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What both tokenizer models share: special tokens are split out of the text first and the fragments between them go
 * to the model's algorithm; decoding concatenates each token's bytes, computed once per vocabulary.
 */
abstract sealed class AbstractTokenizer implements Tokenizer permits SentencePieceTokenizer, ByteLevelBpeTokenizer {

    private static final byte[] NOTHING = new byte[0];
    private static final BitSet NO_PLAIN_TEXT = new BitSet();

    final Vocabulary vocabulary;
    private final byte[][] pieces;

    /** {@code normalPiece} gives the bytes of a normal token's text, which is where the two models differ. */
    AbstractTokenizer(Vocabulary vocabulary, Function<String, byte[]> normalPiece) {
        this.vocabulary = vocabulary;
        this.pieces = new byte[vocabulary.size()][];
        for (int id = 0; id < pieces.length; id++) {
            String text = vocabulary.text(id);
            pieces[id] = switch (vocabulary.type(id)) {
                case NORMAL -> normalPiece.apply(text);
                case BYTE -> byteFallbackPiece(text);
                case USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
                // llama.cpp renders unused and undefined tokens as nothing, like control tokens
                case CONTROL, UNKNOWN, UNUSED, UNDEFINED -> NOTHING;
            };
        }
    }

    /**
     * Tokenizes characters [start, end) of the text, a fragment with no special token in it. {@code afterSpecial}
     * tells whether it begins the text or follows a special token.
     */
    abstract void encodeText(String text, int start, int end, boolean afterSpecial, IntList out);

    @Override
    public int[] encode(String text, boolean parseSpecial) {
        return encode(text, parseSpecial, NO_PLAIN_TEXT);
    }

    @Override
    public int[] encode(String text, BitSet plain) {
        return encode(text, true, Objects.requireNonNull(plain, "plain"));
    }

    @Override
    public Set<String> controlTokenTexts() {
        return vocabulary.specialTokens().controlTexts();
    }

    private int[] encode(String text, boolean parseSpecial, BitSet plain) {
        Objects.requireNonNull(text, "text");
        IntList out = new IntList(text.length() / 3);
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment fragment : vocabulary.specialTokens().split(text, parseSpecial, plain)) {
            if (fragment.isText()) {
                encodeText(text, fragment.start(), fragment.end(), afterSpecial, out);
                afterSpecial = false;
            } else {
                out.add(fragment.token());
                afterSpecial = true;
            }
        }
        return out.toArray();
    }

    @Override
    public boolean addBos() {
        return vocabulary.addBos();
    }

    @Override
    public boolean addEos() {
        return vocabulary.addEos();
    }

    @Override
    public int bos() {
        return vocabulary.bos();
    }

    @Override
    public int eos() {
        return vocabulary.eos();
    }

    @Override
    public Set<Integer> stopTokens() {
        return vocabulary.endOfGeneration();
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public String token(int id) {
        return vocabulary.text(checked(id));
    }

    @Override
    public boolean isSpecial(int id) {
        return vocabulary.type(checked(id)) == TokenType.CONTROL;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return pieces[checked(id)].clone();
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        StreamingDetokenizer detokenizer = newDetokenizer(renderSpecial);
        StringBuilder text = new StringBuilder(ids.length * 4);
        for (int id : ids) {
            text.append(detokenizer.push(id));
        }
        return text.append(detokenizer.flush()).toString();
    }

    @Override
    public StreamingDetokenizer newDetokenizer() {
        return newDetokenizer(false);
    }

    private StreamingDetokenizer newDetokenizer(boolean renderSpecial) {
        return new StreamingDetokenizer(id -> piece(id, renderSpecial), vocabulary.addSpacePrefix());
    }

    private byte[] piece(int id, boolean renderSpecial) {
        checked(id);
        return renderSpecial && vocabulary.type(id).hiddenWhenDecoding()
                ? vocabulary.text(id).getBytes(StandardCharsets.UTF_8)
                : pieces[id];
    }

    private int checked(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException(
                    "token id %d is outside the vocabulary (0 to %d)".formatted(id, pieces.length - 1));
        }
        return id;
    }

    /** A byte token's text is "<0xNN>"; one that is not decodes as its text. */
    private static byte[] byteFallbackPiece(String text) {
        boolean wellFormed = text.length() == 6 && text.startsWith("<0x") && text.charAt(5) == '>'
                && HexFormat.isHexDigit(text.charAt(3)) && HexFormat.isHexDigit(text.charAt(4));
        return wellFormed ? new byte[] {(byte) HexFormat.fromHexDigits(text, 3, 5)}
                : text.getBytes(StandardCharsets.UTF_8);
    }
}
