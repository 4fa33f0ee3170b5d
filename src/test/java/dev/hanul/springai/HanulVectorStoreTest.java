package dev.hanul.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.VectorSimilarity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * The Spring AI face of Hanul's chunk index on a real Lucene index with the bundled embedder: the right documents for
 * a question, Spring AI's filter expressions evaluated inside the search, scores as Spring AI means them, tenants
 * kept apart, and deletes by id and by filter.
 */
class HanulVectorStoreTest {

    @TempDir
    static Path directory;

    static Embedder embedder;
    static dev.hanul.index.VectorStore index;
    static HanulVectorStore store;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedder.load(EmbeddingProperties.bundled());
        index = dev.hanul.index.VectorStore.open(directory, IndexConfig.of(embedder.dimension(),
                VectorSimilarity.DOT_PRODUCT));
        store = new HanulVectorStore(index, embedder, "acme");
        store.add(List.of(
                doc("paris", "Paris is the capital of France and sits on the Seine.", "geography", 2021, true),
                doc("seoul", "Seoul is the capital of South Korea; the Han river runs through it.", "geography", 2024,
                        false),
                doc("kimchi", "Kimchi is fermented napa cabbage seasoned with chili and garlic.", "cooking", 2019,
                        true),
                doc("bread", "Sourdough bread rises with a starter of wild yeast and lactic bacteria.", "cooking", 2024,
                        false),
                doc("gc", "The JVM's garbage collector frees objects that are no longer reachable.", "computing", 2022,
                        true)));
    }

    @AfterAll
    static void close() throws Exception {
        index.close();
        embedder.close();
    }

    static Document doc(String id, String text, String topic, int year, boolean reviewed) {
        return Document.builder().id(id).text(text)
                .metadata(Map.of("topic", topic, "year", year, "reviewed", reviewed, "tags", List.of(topic, "t" + year)))
                .build();
    }

    List<String> ids(String query, String filter, int topK) {
        var request = SearchRequest.builder().query(query).topK(topK);
        if (filter != null) {
            request.filterExpression(filter);
        }
        return store.similaritySearch(request.build()).stream().map(Document::getId).toList();
    }

    @Test
    void theClosestDocumentComesFirstWithItsTextMetadataAndScore() {
        List<Document> hits = store.similaritySearch(SearchRequest.builder().query("What is the capital of France?")
                .topK(2).build());

        assertThat(hits).hasSize(2);
        Document first = hits.getFirst();
        assertThat(first.getId()).isEqualTo("paris");
        assertThat(first.getText()).isEqualTo("Paris is the capital of France and sits on the Seine.");
        assertThat(first.getMetadata()).containsEntry("topic", "geography").containsEntry("year", 2021L)
                .containsEntry("reviewed", "true").containsEntry("tags", List.of("geography", "t2021"))
                .containsEntry(HanulVectorStore.DOCUMENT_ID, "paris");
        assertThat(first.getScore()).isBetween(0.0, 1.0).isGreaterThan(hits.get(1).getScore());
        assertThat((double) first.getMetadata().get(HanulVectorStore.DISTANCE)).isEqualTo(1 - first.getScore());
    }

    @Test
    void filterExpressionsSelectInsideTheSearch() {
        assertThat(ids("capital city", "topic == 'cooking'", 5)).containsExactlyInAnyOrder("kimchi", "bread");
        assertThat(ids("capital city", "topic != 'cooking' && year >= 2022", 5))
                .containsExactlyInAnyOrder("seoul", "gc");
        assertThat(ids("food", "year > 2021 && year < 2024", 5)).containsExactly("gc");
        assertThat(ids("food", "topic in ['computing', 'cooking'] && reviewed == true", 5))
                .containsExactlyInAnyOrder("kimchi", "gc");
        assertThat(ids("food", "topic not in ['computing', 'cooking'] || year == 2019", 5))
                .containsExactlyInAnyOrder("paris", "seoul", "kimchi");
        assertThat(ids("food", "not (tags in ['t2024'])", 5)).containsExactlyInAnyOrder("paris", "kimchi", "gc");
        assertThat(ids("food", "year <= 2019", 5)).containsExactly("kimchi");
    }

    @Test
    void aFilterHanulCannotEvaluateIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ids("food", "topic IS NULL", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'topic' is present");
    }

    @Test
    void tenantsDoNotSeeEachOther() {
        HanulVectorStore other = store.forTenant("globex");
        assertThat(other.similaritySearch("capital of France")).isEmpty();
        other.add(List.of(new Document("globex-1", "Globex only: the capital of France is Paris.", Map.of())));
        assertThat(other.similaritySearch("capital of France")).extracting(Document::getId).containsExactly("globex-1");
        assertThat(ids("capital of France", null, 10)).doesNotContain("globex-1");
    }

    @Test
    void addingAnIdAgainReplacesItAndDeletesWorkByIdAndByFilter() {
        HanulVectorStore scratch = store.forTenant("scratch");
        scratch.add(List.of(doc("a", "Alpha text about rivers.", "x", 2020, true),
                doc("b", "Beta text about mountains.", "y", 2020, true),
                doc("c", "Gamma text about deserts.", "y", 2021, true)));
        scratch.add(List.of(doc("a", "Alpha text about oceans.", "x", 2020, true)));
        assertThat(scratch.similaritySearch(SearchRequest.builder().query("oceans").topK(10).build()))
                .extracting(Document::getId).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(scratch.similaritySearch(SearchRequest.builder().query("oceans").topK(1).build()).getFirst()
                .getText()).isEqualTo("Alpha text about oceans.");

        scratch.delete(List.of("a"));
        assertThat(ids2(scratch)).containsExactlyInAnyOrder("b", "c");
        scratch.delete("topic == 'y' && year == 2021");
        assertThat(ids2(scratch)).containsExactly("b");
    }

    private static List<String> ids2(HanulVectorStore scratch) {
        return scratch.similaritySearch(SearchRequest.builder().query("text").topK(10).build()).stream()
                .map(Document::getId).toList();
    }

    @Test
    void theEmbeddingModelEmbedsDocumentsAsTheIndexDoes() {
        EmbeddingModel model = new HanulEmbeddingModel(embedder);
        assertThat(model.dimensions()).isEqualTo(384);
        float[] vector = model.embed("Paris is the capital of France.");
        assertThat(vector).containsExactly(embedder.embed("Paris is the capital of France."));
        assertThat(model.embed(new Document("Paris is the capital of France.")))
                .containsExactly(embedder.embedPassages(List.of("Paris is the capital of France.")).getFirst());
        assertThat(model.embedForResponse(List.of("a", "b")).getResults()).hasSize(2);
    }
}
