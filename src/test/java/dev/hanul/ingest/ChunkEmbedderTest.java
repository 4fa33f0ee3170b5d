package dev.hanul.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingModel;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.embedding.MultilingualEmbedderTest;
import dev.hanul.engine.TestModels;
import dev.hanul.ingest.text.Chunk;
import dev.hanul.ingest.text.PiiType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/**
 * Ingestion embeds each chunk on its own task, in a single-threaded session of its own, with several chunks at once:
 * the vectors must be the ones the service's shared session gives each text alone (so search results do not change),
 * in chunk order, with the progress callback called after each batch in order.
 */
class ChunkEmbedderTest {

    /** Different lengths and both languages, so that tasks finish out of order. */
    private static final List<String> TEXTS = IntStream.range(0, 37).mapToObj(i -> switch (i % 3) {
        case 0 -> "Chunk " + i + ": the quarterly report lists revenue by region. ".repeat(1 + i % 7);
        case 1 -> "청크 " + i + ": 정규직 직원은 매년 15일의 유급 연차 휴가를 받습니다. ".repeat(1 + i % 5);
        default -> "short " + i;
    }).toList();

    @Test
    void bundledModelGivesTheSharedSessionsVectorsInChunkOrder() {
        try (Embedder shared = Embedder.load(EmbeddingProperties.bundled())) {
            check(shared);
        }
    }

    @Test
    void multilingualE5GivesTheSharedSessionsVectorsInChunkOrder() {
        Path file = TestModels.require(MultilingualEmbedderTest.INT8);
        try (Embedder shared = Embedder.load(new EmbeddingProperties(EmbeddingModel.MULTILINGUAL_E5_SMALL.id(),
                file.toString(), true, 0), file)) {
            check(shared);
        }
    }

    private static void check(Embedder shared) {
        IngestProperties properties = properties(2, 5);
        var chunks = new ArrayList<Chunk>();
        for (int i = 0; i < TEXTS.size(); i++) {
            chunks.add(new Chunk(i, TEXTS.get(i), shared.countTokens(TEXTS.get(i)), 0, TEXTS.get(i).length(), null));
        }
        var progress = new CopyOnWriteArrayList<Integer>();
        var registry = new SimpleMeterRegistry();
        List<float[]> vectors;
        try (var scheduler = new IngestScheduler(properties);
             var embedder = new ChunkEmbedder(shared, scheduler, new IngestMetrics(registry), properties)) {
            vectors = embedder.embed(chunks, embedded -> Mono.fromRunnable(() -> progress.add(embedded)))
                    .block(Duration.ofMinutes(5));
        }
        assertThat(vectors).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] alone = shared.embedPassages(List.of(TEXTS.get(i))).getFirst();
            float[] ingested = vectors.get(i);
            double maxDifference = 0;
            for (int d = 0; d < alone.length; d++) {
                maxDifference = Math.max(maxDifference, Math.abs(alone[d] - ingested[d]));
            }
            assertThat(maxDifference).as("largest difference from the shared session's vector of chunk %d", i)
                    .isLessThan(1e-5);
        }
        assertThat(progress).containsExactly(5, 10, 15, 20, 25, 30, 35, 37);
        assertThat(new IngestMetrics(registry).stageTimer("embed").count()).isEqualTo(TEXTS.size());
        assertThat(new IngestMetrics(registry).stageTimer("embed").totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    private static IngestProperties properties(int workers, int batch) {
        return new IngestProperties(DataSize.ofMegabytes(50), DataSize.ofMegabytes(500), 200, 30, batch, workers,
                10_000, 5_000_000, true, Set.of(PiiType.EMAIL), "eng", null, Duration.ofSeconds(30), null);
    }
}
