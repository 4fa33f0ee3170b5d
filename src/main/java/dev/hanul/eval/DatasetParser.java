package dev.hanul.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads evaluation questions from the two formats people have them in. JSONL: one object a line with
 * {@code question}, optional {@code id}, {@code answers} (or {@code answer}) and {@code relevant} (document ids, or
 * an object of document id → grade). BEIR: {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels} TSV
 * ({@code query-id corpus-id score}, with or without its header); as BEIR's evaluator does, only queries with qrels
 * are kept.
 */
final class DatasetParser {

    /** A question with its references, before it is stored. */
    record Item(String id, String question, List<String> answers, Map<String, Integer> relevant) {
    }

    /** The input's problem, with the line it is on. */
    static final class InvalidDataset extends IllegalArgumentException {
        InvalidDataset(String message) {
            super(message);
        }
    }

    private final JsonMapper json;

    DatasetParser(JsonMapper json) {
        this.json = json;
    }

    List<Item> jsonl(String text) {
        List<Item> items = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode line = parse(lines[i], "jsonl line " + (i + 1));
            String question = line.path("question").asString(null);
            if (question == null || question.isBlank()) {
                throw new InvalidDataset("jsonl line " + (i + 1) + " has no question; each line needs "
                        + "{\"question\": \"...\"} and optionally id, answers and relevant.");
            }
            String id = line.path("id").isMissingNode() ? Integer.toString(items.size() + 1)
                    : line.get("id").asString();
            items.add(new Item(id, question, answers(line), relevant(line.path("relevant"), i + 1)));
        }
        if (items.isEmpty()) {
            throw new InvalidDataset("jsonl holds no questions; send one JSON object a line.");
        }
        return items;
    }

    List<Item> beir(String queries, String qrels) {
        Map<String, String> texts = new LinkedHashMap<>();
        String[] lines = queries.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                JsonNode query = parse(lines[i], "queries line " + (i + 1));
                texts.put(query.path("_id").asString(), query.path("text").asString());
            }
        }
        Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
        String[] rows = qrels.split("\n");
        for (int i = 0; i < rows.length; i++) {
            String[] cells = rows[i].strip().split("\\s+");
            if (rows[i].isBlank() || (i == 0 && cells[0].equals("query-id"))) {
                continue;
            }
            if (cells.length < 3) {
                throw new InvalidDataset("qrels line " + (i + 1) + " has " + cells.length + " columns; BEIR's qrels "
                        + "are query-id, corpus-id, score separated by tabs.");
            }
            if (!texts.containsKey(cells[0])) {
                throw new InvalidDataset("qrels line " + (i + 1) + " names query '" + cells[0] + "', which queries "
                        + "does not have.");
            }
            try {
                judged.computeIfAbsent(cells[0], q -> new LinkedHashMap<>()).put(cells[1],
                        Integer.parseInt(cells[cells.length - 1]));
            } catch (NumberFormatException e) {
                throw new InvalidDataset("qrels line " + (i + 1) + ": the score '" + cells[cells.length - 1]
                        + "' is not an integer.");
            }
        }
        if (judged.isEmpty()) {
            throw new InvalidDataset("qrels judges no query; BEIR evaluates only queries with qrels.");
        }
        List<Item> items = new ArrayList<>();
        judged.forEach((query, relevant) -> items.add(new Item(query, texts.get(query), List.of(), relevant)));
        return items;
    }

    private JsonNode parse(String line, String where) {
        try {
            JsonNode node = json.readTree(line);
            if (!node.isObject()) {
                throw new InvalidDataset(where + " is not a JSON object.");
            }
            return node;
        } catch (JacksonException e) {
            throw new InvalidDataset(where + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<String> answers(JsonNode line) {
        List<String> answers = new ArrayList<>();
        if (line.path("answers").isArray()) {
            line.get("answers").forEach(a -> answers.add(a.asString()));
        } else if (line.path("answer").isString()) {
            answers.add(line.get("answer").asString());
        }
        return answers;
    }

    private static Map<String, Integer> relevant(JsonNode relevant, int lineNumber) {
        Map<String, Integer> grades = new LinkedHashMap<>();
        if (relevant.isArray()) {
            relevant.forEach(id -> grades.put(id.asString(), 1));
        } else if (relevant.isObject()) {
            relevant.properties().forEach(e -> grades.put(e.getKey(), e.getValue().asInt()));
        } else if (!relevant.isMissingNode() && !relevant.isNull()) {
            throw new InvalidDataset("jsonl line " + lineNumber + ": relevant must be a list of document ids or "
                    + "an object of document id -> grade.");
        }
        return grades;
    }
}
