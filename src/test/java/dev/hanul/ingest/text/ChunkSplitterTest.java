package dev.hanul.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Chunking with a whitespace-word counter (one word, one token), so budgets can be checked exactly; the service
 * counts with the embedding model's tokenizer, which the HTTP tests exercise.
 */
class ChunkSplitterTest {

    private static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    @Test
    void aTextThatFitsIsOneChunk() {
        List<Chunk> chunks = new ChunkSplitter(WORDS, 50, 5).split("# Title\n\nOne short paragraph.");
        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.text()).isEqualTo("# Title\n\nOne short paragraph.");
            assertThat(chunk.tokens()).isEqualTo(5);
            assertThat(chunk.heading()).isEqualTo("Title");
        });
    }

    @Test
    void chunksStayWithinTheBudgetAndCoverEveryWordInOrder() {
        String text = generated(new Random(7), 40);
        List<Chunk> chunks = new ChunkSplitter(WORDS, 60, 10).split(text);
        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(chunk -> {
            assertThat(chunk.tokens()).isLessThanOrEqualTo(60);
            assertThat(text.substring(chunk.start(), chunk.end())).isEqualTo(chunk.text());
        });
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).isGreaterThan(chunks.get(i - 1).start());
            String between = text.substring(Math.min(chunks.get(i - 1).end(), chunks.get(i).start()),
                    chunks.get(i).start());
            assertThat(between).as("what lies between chunks %d and %d", i - 1, i).isBlank();
            assertThat(chunks.get(i).ordinal()).isEqualTo(i);
        }
        assertThat(chunks.getFirst().start()).isZero();
        assertThat(chunks.getLast().end()).isEqualTo(text.strip().length());
    }

    @Test
    void aSectionStartsANewChunkWithoutOverlapAndEveryChunkKnowsItsHeadings() {
        String text = "# Guide\n\n## Install\n\n" + sentences("Install step", 30) + "\n\n## Use\n\n"
                + sentences("Use step", 30);
        List<Chunk> chunks = new ChunkSplitter(WORDS, 40, 8).split(text);
        Chunk firstOfUse = chunks.stream().filter(c -> c.text().startsWith("## Use")).findFirst().orElseThrow();
        assertThat(firstOfUse.heading()).isEqualTo("Guide > Use");
        assertThat(firstOfUse.text()).doesNotContain("Install");
        assertThat(chunks.stream().filter(c -> c.text().contains("Install step 29")))
                .allSatisfy(c -> assertThat(c.heading()).isEqualTo("Guide > Install"));
    }

    @Test
    void consecutiveChunksOfASectionOverlapBySentencesAndEndAtSentenceEnds() {
        String text = sentences("Sentence number", 40);
        List<Chunk> chunks = new ChunkSplitter(WORDS, 30, 8).split(text);
        assertThat(chunks).hasSizeGreaterThan(3);
        for (int i = 1; i < chunks.size(); i++) {
            Chunk previous = chunks.get(i - 1);
            Chunk next = chunks.get(i);
            assertThat(previous.text()).endsWith(".");
            String shared = text.substring(next.start(), Math.max(next.start(), previous.end()));
            assertThat(shared).as("overlap between chunks %d and %d", i - 1, i).isNotBlank();
            assertThat(WORDS.count(shared)).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void koreanSentencesAreKeptWhole() {
        String text = "한국어 문서를 작은 조각으로 나눕니다. ".repeat(20).strip();
        List<Chunk> chunks = new ChunkSplitter(WORDS, 12, 0).split(text);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).endsWith("나눕니다."));
    }

    @Test
    void aRunWithoutBoundariesIsCutByCharacters() {
        TokenCounter perTenChars = text -> (text.strip().length() + 9) / 10;
        String blob = "x".repeat(1000);
        List<Chunk> chunks = new ChunkSplitter(perTenChars, 20, 0).split(blob);
        assertThat(chunks).hasSize(5).allSatisfy(chunk -> assertThat(chunk.tokens()).isLessThanOrEqualTo(20));
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(blob);
    }

    private static String sentences(String prefix, int count) {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(prefix).append(' ').append(i).append(" ends here. ");
        }
        return text.toString().strip();
    }

    /** Sections of paragraphs of sentences of random length, the shape of real documents. */
    private static String generated(Random random, int paragraphs) {
        List<String> words = Arrays.asList("alpha", "beta", "gamma", "delta", "lorem", "ipsum", "river", "stone");
        var text = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            if (p % 8 == 0) {
                text.append("#".repeat(1 + p / 8 % 3)).append(" Section ").append(p / 8).append("\n\n");
            }
            int sentences = 1 + random.nextInt(6);
            for (int s = 0; s < sentences; s++) {
                int length = 3 + random.nextInt(15);
                for (int w = 0; w < length; w++) {
                    text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
                }
                text.append(". ");
            }
            text.append("\n\n");
        }
        return text.toString();
    }
}
