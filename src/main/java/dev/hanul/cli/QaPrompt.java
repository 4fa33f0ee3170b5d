package dev.hanul.cli;

import com.hubspot.jinjava.Jinjava;
import dev.hanul.engine.chat.ChatMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The prompt variants {@code bench qa} compares. The first two are the service's own RAG templates, read from the
 * same resources {@code /api/chat} renders ({@code prompts/rag-default/v1}, {@code v2}); the others ask for the short
 * answer extractive QA wants, with or without a citation, one shows one worked example first, and one puts the
 * question after the context.
 */
enum QaPrompt {

    RAG_DEFAULT_V2("rag-default-v2") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            Map<String, Object> context = context(sources, question);
            return List.of(ChatMessage.system(render("v2.system.jinja", context)),
                    ChatMessage.user(render("v2.jinja", context)));
        }
    },
    RAG_DEFAULT_V1("rag-default-v1") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            return List.of(ChatMessage.user(render("v1.jinja", context(sources, question))));
        }
    },
    SHORT("short") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            StringBuilder system = new StringBuilder("Answer questions using only this context. Reply with the "
                    + "shortest phrase from the context that answers the question, not a full sentence.\n\n");
            sources.forEach(source -> system.append(source.text()).append("\n\n"));
            return List.of(ChatMessage.system(system.toString().strip()), ChatMessage.user(question));
        }
    },
    SHORT_CITED("short-cited") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            StringBuilder system = new StringBuilder("Answer questions using only the numbered sources below. "
                    + "Reply with the shortest phrase from the sources that answers the question, then the number "
                    + "of its source in brackets, like: Paris [2]\n\n");
            sources.forEach(source -> system.append('[').append(source.marker()).append("] ")
                    .append(source.text()).append("\n\n"));
            return List.of(ChatMessage.system(system.toString().strip()), ChatMessage.user(question));
        }
    },
    ONE_SHOT("one-shot") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            StringBuilder user = new StringBuilder("Context:\n");
            sources.forEach(source -> user.append(source.text()).append("\n\n"));
            user.append("Question: ").append(question);
            // One worked example shows a small model the answer's form better than a sentence describing it.
            return List.of(
                    ChatMessage.system("Answer the question with the few words from the context that answer it. "
                            + "Do not write a sentence."),
                    ChatMessage.user("Context:\nThe Eiffel Tower is a wrought-iron tower in Paris. It was designed "
                            + "by the company of Gustave Eiffel and finished in 1889.\n\nQuestion: When was the "
                            + "Eiffel Tower finished?"),
                    ChatMessage.assistant("1889"),
                    ChatMessage.user(user.toString()));
        }
    },
    QUESTION_LAST("context-then-question") {
        @Override
        List<ChatMessage> messages(List<Source> sources, String question) {
            StringBuilder user = new StringBuilder("Context:\n");
            sources.forEach(source -> user.append(source.text()).append("\n\n"));
            user.append("Question: ").append(question).append("\nAnswer in a few words:");
            return List.of(ChatMessage.user(user.toString()));
        }
    };

    /** A passage as the RAG templates see it: its marker number, where it comes from, its text. */
    record Source(int marker, String source, String text) {
    }

    private static final Jinjava JINJAVA = new Jinjava();

    private final String label;

    QaPrompt(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract List<ChatMessage> messages(List<Source> sources, String question);

    static QaPrompt named(String label) {
        for (QaPrompt prompt : values()) {
            if (prompt.label.equals(label)) {
                return prompt;
            }
        }
        throw new IllegalArgumentException("no prompt variant '%s'; known: %s".formatted(label,
                String.join(", ", labels())));
    }

    static List<String> labels() {
        return java.util.Arrays.stream(values()).map(QaPrompt::label).toList();
    }

    static List<Source> numbered(List<Map.Entry<String, String>> titledPassages) {
        List<Source> sources = new ArrayList<>();
        IntStream.range(0, titledPassages.size()).forEach(i -> sources.add(
                new Source(i + 1, titledPassages.get(i).getKey(), titledPassages.get(i).getValue())));
        return sources;
    }

    private static Map<String, Object> context(List<Source> sources, String question) {
        List<Map<String, Object>> rendered = sources.stream().<Map<String, Object>>map(source -> Map.of(
                "marker", source.marker(), "source", source.source(), "text", source.text())).toList();
        return Map.of("sources", rendered, "question", question);
    }

    private static String render(String file, Map<String, Object> context) {
        String path = "/prompts/rag-default/" + file;
        try (InputStream in = QaPrompt.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path");
            }
            return JINJAVA.render(new String(in.readAllBytes(), StandardCharsets.UTF_8), context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
