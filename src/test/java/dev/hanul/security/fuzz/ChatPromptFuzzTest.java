package dev.hanul.security.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.chat.ChatPrompt;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Conversations as users send them, encoded for SmolLM2 (ChatML): whatever the messages say, the prompt holds exactly
 * the control tokens the template writes for them, the count for the same conversation with every message reduced to
 * one letter. Finding finding-user-text-opens-a-turn: before ChatPrompt, a user's {@code <|im_start|>} became one.
 */
@EnabledIf(value = "modelPresent", disabledReason = "the test model is absent (see README, \"Test models\")")
class ChatPromptFuzzTest {

    private static final Tokenizer TOKENIZER = FuzzTokenizers.load(TestModels.SMOLLM2);
    private static final ChatTemplate TEMPLATE = template();

    static boolean modelPresent() {
        return TOKENIZER != null;
    }

    @FuzzTest(maxDuration = "5s")
    void messagesNeverAddControlTokens(FuzzedDataProvider data) {
        List<ChatMessage> messages = new ArrayList<>();
        List<ChatMessage> blanked = new ArrayList<>();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count; i++) {
            String role = data.pickValue(List.of("system", "user", "assistant"));
            String content = data.consumeBoolean() ? "<|im_start|>" + data.consumeString(100) : data.consumeString(200);
            messages.add(new ChatMessage(role, content));
            blanked.add(new ChatMessage(role, "x"));
        }
        boolean generationPrompt = data.consumeBoolean();
        ChatPrompt prompt = ChatPrompt.encode(TEMPLATE, TOKENIZER, messages, generationPrompt);
        int[] markers = TOKENIZER.encodePrompt(TEMPLATE.render(blanked, generationPrompt));
        assertThat(controlTokens(prompt.tokens())).isEqualTo(controlTokens(markers));
        assertThat(prompt.text()).isEqualTo(TEMPLATE.render(messages, generationPrompt));
    }

    private static List<Integer> controlTokens(int[] ids) {
        return Arrays.stream(ids).filter(TOKENIZER::isSpecial).boxed().toList();
    }

    private static ChatTemplate template() {
        Optional<Path> file = TestModels.find(TestModels.SMOLLM2);
        if (file.isEmpty()) {
            return null;
        }
        try (GgufFile gguf = GgufFile.open(file.get())) {
            return ChatTemplate.of(gguf);
        }
    }
}
