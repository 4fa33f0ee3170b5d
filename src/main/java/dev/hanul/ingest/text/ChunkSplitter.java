package dev.hanul.ingest.text;

import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token-aware recursive splitting. A text that fits the budget is one chunk; otherwise it is cut at the strongest
 * boundary it has (headings, then blank lines, lines, sentences, words, and as a last resort characters), pieces
 * that are still too long are cut again at the next boundary, and neighbouring pieces are merged back greedily up to
 * the budget. A new chunk repeats the tail of the previous one (up to the overlap) so that a sentence cut from its
 * context can still be found, except across a heading: a long section starts a chunk of its own.
 *
 * <p>Tokens are the embedding model's word pieces (see {@link TokenCounter}), counted per piece and summed; pieces
 * end at whitespace, where WordPiece counts add up exactly.
 */
public final class ChunkSplitter {

    /** Boundaries from strongest to weakest. */
    private enum Boundary { SECTION, PARAGRAPH, LINE, SENTENCE, WORD, CHARACTER }

    private static final Pattern HEADING = Pattern.compile("(?m)^(#{1,6}) +(\\S.*)$");
    private static final Pattern PARAGRAPH_END = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WORD_END = Pattern.compile("\\s+");

    private record Span(int start, int end, int tokens) {
    }

    private record Heading(int offset, int level, String title) {
    }

    private final TokenCounter counter;
    private final int maxTokens;
    private final int overlapTokens;

    /**
     * @param maxTokens     at most this many tokens per chunk
     * @param overlapTokens at most this many tokens repeated from the previous chunk; less than maxTokens
     */
    public ChunkSplitter(TokenCounter counter, int maxTokens, int overlapTokens) {
        if (maxTokens < 1 || overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("chunk size must be at least 1 and the overlap between 0 and the chunk "
                    + "size; got " + maxTokens + " and " + overlapTokens);
        }
        this.counter = counter;
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    public List<Chunk> split(String text) {
        List<Heading> headings = headings(text);
        var chunks = new ArrayList<Chunk>();
        for (Span span : split(text, new Span(0, text.length(), count(text, 0, text.length())), Boundary.SECTION)) {
            int start = span.start();
            int end = span.end();
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                String chunkText = text.substring(start, end);
                chunks.add(new Chunk(chunks.size(), chunkText, counter.count(chunkText), start, end,
                        headingPath(headings, start)));
            }
        }
        return chunks;
    }

    private List<Span> split(String text, Span span, Boundary boundary) {
        if (span.tokens() <= maxTokens) {
            return List.of(span);
        }
        if (boundary == Boundary.CHARACTER) {
            return cutCharacters(text, span);
        }
        List<Span> pieces = cut(text, span, boundary);
        Boundary next = Boundary.values()[boundary.ordinal() + 1];
        if (pieces.size() == 1) {
            return split(text, span, next);
        }
        if (boundary == Boundary.SECTION) {
            return splitSections(text, pieces);
        }
        var units = new ArrayList<Span>();
        for (Span piece : pieces) {
            units.addAll(split(text, piece, next));
        }
        return merge(units, overlapTokens);
    }

    /**
     * Whole sections that fit are merged with their neighbours (short sections need not each be a tiny chunk), but
     * a section that does not fit keeps its chunks to itself: no chunk mixes the end of one section with the start
     * of the next, and no overlap crosses a heading.
     */
    private List<Span> splitSections(String text, List<Span> sections) {
        var chunks = new ArrayList<Span>();
        var fitting = new ArrayList<Span>();
        for (Span section : sections) {
            if (section.tokens() <= maxTokens) {
                fitting.add(section);
                continue;
            }
            chunks.addAll(merge(fitting, 0));
            fitting.clear();
            chunks.addAll(split(text, section, Boundary.PARAGRAPH));
        }
        chunks.addAll(merge(fitting, 0));
        return chunks;
    }

    /** Greedy merge of consecutive units up to the budget; a new chunk starts with up to {@code overlap} tokens. */
    private List<Span> merge(List<Span> units, int overlap) {
        var merged = new ArrayList<Span>();
        Deque<Span> current = new ArrayDeque<>();
        int tokens = 0;
        for (Span unit : units) {
            if (!current.isEmpty() && tokens + unit.tokens() > maxTokens) {
                merged.add(new Span(current.getFirst().start(), current.getLast().end(), tokens));
                while (!current.isEmpty() && (tokens > overlap || tokens + unit.tokens() > maxTokens)) {
                    tokens -= current.removeFirst().tokens();
                }
            }
            current.addLast(unit);
            tokens += unit.tokens();
        }
        if (!current.isEmpty()) {
            merged.add(new Span(current.getFirst().start(), current.getLast().end(), tokens));
        }
        return merged;
    }

    /** The span cut at every boundary of this kind; the pieces cover the span, separators stay with the piece before. */
    private List<Span> cut(String text, Span span, Boundary boundary) {
        var ends = new ArrayList<Integer>();
        switch (boundary) {
            case SECTION -> {
                Matcher heading = HEADING.matcher(text).region(span.start(), span.end());
                while (heading.find()) {
                    ends.add(heading.start());
                }
            }
            case PARAGRAPH -> {
                Matcher blank = PARAGRAPH_END.matcher(text).region(span.start(), span.end());
                while (blank.find()) {
                    ends.add(blank.end());
                }
            }
            case LINE -> {
                for (int i = text.indexOf('\n', span.start()); i >= 0 && i < span.end(); i = text.indexOf('\n', i + 1)) {
                    ends.add(i + 1);
                }
            }
            case SENTENCE -> {
                BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
                sentences.setText(text.substring(span.start(), span.end()));
                for (int end = sentences.next(); end != BreakIterator.DONE; end = sentences.next()) {
                    ends.add(span.start() + end);
                }
            }
            case WORD -> {
                Matcher space = WORD_END.matcher(text).region(span.start(), span.end());
                while (space.find()) {
                    ends.add(space.end());
                }
            }
            case CHARACTER -> throw new IllegalArgumentException("characters are cut by cutCharacters");
        }
        var pieces = new ArrayList<Span>();
        int start = span.start();
        for (int end : ends) {
            if (end > start && end < span.end()) {
                pieces.add(new Span(start, end, count(text, start, end)));
                start = end;
            }
        }
        pieces.add(new Span(start, span.end(), count(text, start, span.end())));
        return pieces;
    }

    /** A run without any boundary (a long URL, a base64 blob): the longest prefixes that fit, by binary search. */
    private List<Span> cutCharacters(String text, Span span) {
        var pieces = new ArrayList<Span>();
        int start = span.start();
        while (start < span.end()) {
            int low = start + 1;
            int high = span.end();
            while (low < high) {
                int middle = (low + high + 1) >>> 1;
                if (count(text, start, middle) <= maxTokens) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            int end = Character.isHighSurrogate(text.charAt(low - 1)) && low < span.end() ? low + 1 : low;
            pieces.add(new Span(start, end, count(text, start, end)));
            start = end;
        }
        return pieces;
    }

    private int count(String text, int start, int end) {
        return counter.count(text.substring(start, end));
    }

    private static List<Heading> headings(String text) {
        var headings = new ArrayList<Heading>();
        Matcher heading = HEADING.matcher(text);
        while (heading.find()) {
            headings.add(new Heading(heading.start(), heading.group(1).length(), heading.group(2).strip()));
        }
        return headings;
    }

    /** The headings in force at an offset: the last one of each level before it, outermost first. */
    private static String headingPath(List<Heading> headings, int offset) {
        String[] byLevel = new String[7];
        for (Heading heading : headings) {
            if (heading.offset() > offset) {
                break;
            }
            byLevel[heading.level()] = heading.title();
            for (int deeper = heading.level() + 1; deeper < byLevel.length; deeper++) {
                byLevel[deeper] = null;
            }
        }
        var path = new StringBuilder();
        for (String title : byLevel) {
            if (title != null) {
                path.append(path.isEmpty() ? "" : " > ").append(title);
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
