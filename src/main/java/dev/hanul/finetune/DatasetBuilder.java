package dev.hanul.finetune;

import dev.hanul.ingest.DocumentChunk;
import dev.hanul.ingest.DocumentView;
import dev.hanul.ingest.IngestionService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Training files built from the platform's own data, stored like uploads (as the next version of the named dataset):
 * <ul>
 *   <li>{@code feedback}: the tenant's interactions rated up — the user's question and the answer as it was rated
 *       (the retrieved context is not part of the conversation; the log keeps it only as chunk ids).</li>
 *   <li>{@code documents}: question/answer pairs over the tenant's indexed documents — the chunk as context, a
 *       fill-in-the-blank question from one of its sentences ({@link ClozeQuestions}), and as the answer the span,
 *       cited as {@code [1]}: the short extractive answer with citation a RAG answer should be.</li>
 * </ul>
 */
@Service
class DatasetBuilder {

    static final String DOCUMENTS_SYSTEM = "Answer the question from the context with the shortest exact phrase "
            + "and cite the source as [1].";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 1000;

    private final DatabaseClient database;
    private final IngestionService documents;
    private final TrainingFiles files;

    DatasetBuilder(DatabaseClient database, IngestionService documents, TrainingFiles files) {
        this.database = database;
        this.documents = documents;
        this.files = files;
    }

    Mono<TrainingFile> fromFeedback(String tenant, String name, int maxExamples, String actor) {
        return database.sql("SELECT question, response FROM interaction WHERE tenant = :tenant "
                        + "AND feedback_rating = 'up' AND question IS NOT NULL AND response <> '' "
                        + "ORDER BY created_at")
                .bind("tenant", tenant)
                .map(row -> line(List.of(
                        Map.of("role", "user", "content", row.get("question", String.class)),
                        Map.of("role", "assistant", "content", row.get("response", String.class)))))
                .all()
                .collect(LinkedHashSet<String>::new, Set::add)
                .flatMap(lines -> store(tenant, name, "feedback", new ArrayList<>(lines), maxExamples, 0, actor,
                        "No interaction of tenant '" + tenant + "' has positive feedback (rating up) and a question; "
                                + "rate answers with POST /api/interactions/{id}/feedback first."));
    }

    Mono<TrainingFile> fromDocuments(String tenant, String name, int maxExamples, long seed, String actor) {
        return pages(tenant, 0)
                .concatMap(document -> documents.documentChunks(tenant, document.documentId()))
                .flatMapIterable(chunks -> chunks)
                .filter(chunk -> chunk.text() != null)
                .concatMapIterable(DatasetBuilder::pairs)
                .collect(LinkedHashSet<String>::new, Set::add)
                .flatMap(lines -> store(tenant, name, "documents", new ArrayList<>(lines), maxExamples, seed, actor,
                        "Tenant '" + tenant + "' has no indexed document with sentences to ask about (a number or a "
                                + "name in a sentence of 6 to 60 words); ingest documents first."));
    }

    private Flux<DocumentView> pages(String tenant, int offset) {
        return documents.list(tenant, offset, PAGE).flatMapMany(page -> {
            Flux<DocumentView> these = Flux.fromIterable(page.documents());
            return page.documents().size() < PAGE ? these : these.concatWith(pages(tenant, offset + PAGE));
        });
    }

    private static List<String> pairs(DocumentChunk chunk) {
        List<String> lines = new ArrayList<>();
        for (ClozeQuestions.Cloze cloze : ClozeQuestions.of(chunk.text())) {
            lines.add(line(List.of(
                    Map.of("role", "system", "content", DOCUMENTS_SYSTEM),
                    Map.of("role", "user", "content", "Context:\n[1] " + chunk.text().strip() + "\n\nQuestion: "
                            + cloze.question()),
                    Map.of("role", "assistant", "content", cloze.answer() + " [1]"))));
        }
        return lines;
    }

    private Mono<TrainingFile> store(String tenant, String name, String origin, List<String> lines, int maxExamples,
                                     long seed, String actor, String whenEmpty) {
        if (lines.isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, whenEmpty));
        }
        if (lines.size() > maxExamples) {
            Collections.shuffle(lines, new Random(seed));
            lines = lines.subList(0, maxExamples);
        }
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return files.accept(tenant, name + ".jsonl", name, origin, bytes, actor);
    }

    private static String line(List<Map<String, String>> messages) {
        return JSON.writeValueAsString(Map.of("messages", messages));
    }
}
