package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

abstract class Bm25Contract {

    /** A new, empty store of this backend; the test closes it. */
    abstract VectorStore open(IndexConfig config) throws IOException;

    private static final int DIM = 8;


    private final Random random = new Random(3);

    @Test
    void englishQueryRanksTheChunkWithMoreMatchingTermsFirst() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(
                    chunk("en-1", "The scheduler batches requests continuously and preempts sequences when KV "
                            + "blocks run out."),
                    chunk("en-2", "Prefix caching hashes full KV blocks so that shared prompts reuse them."),
                    chunk("en-3", "Grafana dashboards show request latency.")));

            List<SearchHit> hits = store.search(SearchRequest.text("acme", "KV blocks prefix caching"));

            assertThat(hits).extracting(SearchHit::chunkId).containsExactly("en-2", "en-1");
            assertThat(hits.getFirst().language()).isEqualTo(TextLanguage.ENGLISH);
            assertThat(hits.getFirst().textRank().rank()).isEqualTo(1);
            assertThat(hits.getFirst().vectorRank()).isNull();
            assertThat(hits.getFirst().score()).isEqualTo(hits.getFirst().textRank().score());
        }
    }

    @Test
    void koreanQueryFindsKoreanChunkThroughNori() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(
                    chunk("ko-1", "한울은 업로드된 문서를 작은 조각으로 나누어 색인합니다."),
                    chunk("ko-2", "관리자는 대시보드에서 지연 시간을 확인할 수 있습니다."),
                    chunk("en-1", "Documents are split into chunks before indexing.")));

            // "문서를" (document + object particle) is indexed; the query has the bare noun "문서" with another
            // particle. Only morphological analysis makes these meet.
            List<SearchHit> hits = store.search(SearchRequest.text("acme", "문서는 어떻게 색인되나요?"));

            assertThat(hits).extracting(SearchHit::chunkId).first().isEqualTo("ko-1");
            assertThat(hits).extracting(SearchHit::chunkId).doesNotContain("ko-2");
            assertThat(hits.getFirst().language()).isEqualTo(TextLanguage.KOREAN);
            assertThat(store.search(SearchRequest.text("acme", "대시보드"))).extracting(SearchHit::chunkId)
                    .containsExactly("ko-2");
        }
    }

    @Test
    void mixedKoreanChunkIsFoundByItsEnglishTermsToo() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("mixed", "Spring Boot 서비스에서 Lucene 색인을 사용합니다.")));

            assertThat(store.search(SearchRequest.text("acme", "lucene"))).extracting(SearchHit::chunkId)
                    .containsExactly("mixed");
        }
    }

    @Test
    void englishIsStemmedSoOtherFormsOfAWordMatch() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("en-1", "The service restarts crashed workers automatically."),
                    chunk("en-2", "Invoices are archived monthly.")));
            assertThat(store.search(SearchRequest.text("acme", "restarting a crashing worker")))
                    .extracting(SearchHit::chunkId).containsExactly("en-1");
        }
    }

    @Test
    void aChunkInBothLanguagesIsFoundByEitherLanguagesWordForms() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("mixed", "보안 교육은 매년 실시합니다. Security trainings are held every year."),
                    chunk("other", "Quarterly budgets are reviewed in March.")));
            assertThat(store.search(SearchRequest.text("acme", "security training")))
                    .extracting(SearchHit::chunkId).containsExactly("mixed");
            assertThat(store.search(SearchRequest.text("acme", "보안 교육")))
                    .extracting(SearchHit::chunkId).containsExactly("mixed");
        }
        assertThat(TextLanguage.present("보안 교육은 매년 실시합니다. Security trainings are held every year."))
                .containsExactlyInAnyOrder(TextLanguage.KOREAN, TextLanguage.ENGLISH);
        assertThat(TextLanguage.present("안녕하세요 세계")).containsExactly(TextLanguage.KOREAN);
        assertThat(TextLanguage.present("Hello world")).containsExactly(TextLanguage.ENGLISH);
    }

    @Test
    void queryWithoutSearchableTermsFindsNothing() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("en-1", "some text")));

            assertThat(store.search(SearchRequest.text("acme", "?! ..."))).isEmpty();
        }
    }

    @Test
    void languageDetectionUsesTheShareOfHangul() {
        assertThat(TextLanguage.detect("Hello world")).isEqualTo(TextLanguage.ENGLISH);
        assertThat(TextLanguage.detect("안녕하세요 세계")).isEqualTo(TextLanguage.KOREAN);
        assertThat(TextLanguage.detect("Spring Boot 서비스에서 Lucene 색인을 사용합니다.")).isEqualTo(TextLanguage.KOREAN);
        assertThat(TextLanguage.detect("A long English sentence that mentions 한울 once.")).isEqualTo(TextLanguage.ENGLISH);
        assertThat(TextLanguage.detect("12345 !?")).isEqualTo(TextLanguage.ENGLISH);
    }

    private ChunkDocument chunk(String id, String text) {
        return new ChunkDocument(id, "doc-" + id, "acme", text, TestVectors.unit(random, DIM), Metadata.EMPTY);
    }
}
