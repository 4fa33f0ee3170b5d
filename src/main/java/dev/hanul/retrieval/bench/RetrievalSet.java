package dev.hanul.retrieval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.HashSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A retrieval test set: documents, queries, and which documents answer each query. Read from a BEIR directory
 * ({@code corpus.jsonl}, {@code queries.jsonl}, {@code qrels/test.tsv}, or {@code qrels.tsv} beside them) or from a SQuAD-format file such as KorQuAD
 * (each paragraph a document, each question answered by its own paragraph).
 *
 * @param relevant query id → ids of the documents that answer it
 */
record RetrievalSet(String name, Map<String, String> documents, Map<String, String> queries,
                    Map<String, Set<String>> relevant) {

    static RetrievalSet read(Path source, int maxQueries, long seed) throws IOException {
        RetrievalSet all = Files.isDirectory(source) ? beir(source) : squad(source);
        if (all.queries.size() <= maxQueries) {
            return all;
        }
        // A fixed-seed sample keeps runs comparable while bounding their time.
        var ids = new ArrayList<>(all.queries.keySet());
        java.util.Collections.shuffle(ids, new Random(seed));
        Map<String, String> queries = new LinkedHashMap<>();
        for (String id : ids.subList(0, maxQueries)) {
            queries.put(id, all.queries.get(id));
        }
        return new RetrievalSet(all.name, all.documents, queries, all.relevant);
    }

    private static RetrievalSet beir(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> documents = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("corpus.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode doc = json.readTree(line);
                String title = doc.path("title").asString("");
                documents.put(doc.get("_id").asString(), (title.isBlank() ? "" : title + "\n\n")
                        + doc.get("text").asString());
            }
        }
        Map<String, Set<String>> relevant = new TreeMap<>();
        Path qrelsFile = dir.resolve("qrels").resolve("test.tsv");
        if (!Files.isRegularFile(qrelsFile) && Files.isRegularFile(dir.resolve("qrels.tsv"))) {
            qrelsFile = dir.resolve("qrels.tsv");
        }
        for (String line : Files.readAllLines(qrelsFile)) {
            String[] fields = line.split("\t");
            // BEIR's files start with a header (query-id, corpus-id, score); a line without a numeric score is one.
            if (fields.length >= 3 && fields[2].strip().matches("-?\\d+")
                    && Integer.parseInt(fields[2].strip()) > 0) {
                relevant.computeIfAbsent(fields[0].strip(), id -> new HashSet<>()).add(fields[1].strip());
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode query = json.readTree(line);
                String id = query.get("_id").asString();
                if (relevant.containsKey(id)) {
                    queries.put(id, query.get("text").asString());
                }
            }
        }
        return new RetrievalSet(dir.getFileName().toString(), documents, queries, relevant);
    }

    private static RetrievalSet squad(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, String> documents = new LinkedHashMap<>();
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, Set<String>> relevant = new TreeMap<>();
        for (JsonNode article : root.get("data")) {
            int p = 0;
            for (JsonNode paragraph : article.get("paragraphs")) {
                String docId = article.get("title").asString() + "#" + p++;
                documents.put(docId, paragraph.get("context").asString());
                for (JsonNode qa : paragraph.get("qas")) {
                    queries.put(qa.get("id").asString(), qa.get("question").asString());
                    relevant.put(qa.get("id").asString(), Set.of(docId));
                }
            }
        }
        return new RetrievalSet(file.getFileName().toString(), documents, queries, relevant);
    }
}
