package dev.hanul.finetune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a training file in OpenAI's chat fine-tuning format, one JSON object per line: {@code {"messages": [{"role":
 * "system"|"user"|"assistant", "content": "...", "weight": 0|1}, ...]}}, weight on assistant turns only. Every line
 * is checked and every problem reported with its line number, so one upload shows all that must be fixed. Blank lines
 * are skipped. Lengths are checked later, against the model that trains ({@link ChatTokens}).
 */
final class ChatDataset {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The examples, or what is wrong with the lines that are not. */
    record Parsed(List<ChatExample> examples, List<LineProblem> problems) {
    }

    private ChatDataset() {
    }

    static Parsed parse(String text) {
        List<ChatExample> examples = new ArrayList<>();
        List<LineProblem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                ChatExample example = example(number, line);
                String key = JSON.writeValueAsString(example.messages());
                Integer first = seen.putIfAbsent(key, number);
                if (first != null) {
                    problems.add(new LineProblem(number, "duplicate of line " + first
                            + " (the same messages); remove one of them"));
                } else {
                    examples.add(example);
                }
            } catch (Refused refused) {
                problems.add(new LineProblem(number, refused.getMessage()));
            }
        }
        if (examples.isEmpty() && problems.isEmpty()) {
            problems.add(new LineProblem(1, "the file holds no examples; write one JSON object per line"));
        }
        return new Parsed(examples, problems);
    }

    private static ChatExample example(int number, String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new Refused("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Refused("not a JSON object; each line must be {\"messages\": [...]}");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new Refused("no \"messages\" array; each line must be {\"messages\": [{\"role\": \"user\", "
                    + "\"content\": \"...\"}, {\"role\": \"assistant\", \"content\": \"...\"}]}");
        }
        List<ChatExample.Message> parsed = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            parsed.add(message(messages.get(m), m));
        }
        if (parsed.stream().noneMatch(ChatExample.Message::learned)) {
            throw new Refused("no assistant turn to learn from (at least one assistant message with weight 1 is "
                    + "needed)");
        }
        return new ChatExample(number, parsed);
    }

    private static ChatExample.Message message(JsonNode node, int index) {
        String where = "messages[" + index + "]";
        if (!node.isObject()) {
            throw new Refused(where + " is not an object with \"role\" and \"content\"");
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
            throw new Refused(where + " has " + (role == null ? "no role" : "the unknown role " + role)
                    + "; use one of " + ROLES.stream().sorted().toList());
        }
        JsonNode content = node.get("content");
        if (content == null || !content.isString() || content.asString().isBlank()) {
            throw new Refused(where + " (" + role.asString() + ") has no text \"content\"");
        }
        int weight = 1;
        JsonNode weightNode = node.get("weight");
        if (weightNode != null && !weightNode.isNull()) {
            if (!role.asString().equals("assistant")) {
                throw new Refused(where + " has a \"weight\", which only assistant messages take");
            }
            if (!weightNode.isNumber() || weightNode.asDouble() != 0 && weightNode.asDouble() != 1) {
                throw new Refused(where + " has weight " + weightNode + "; use 0 (context only) or 1 (learned)");
            }
            weight = weightNode.asInt();
        }
        return new ChatExample.Message(role.asString(), content.asString(), weight);
    }

    /** A line's problem, thrown inside the parse of that line only. */
    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
