package dev.hanul.cli;

import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.chat.ChatPrompt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hanul chat}: a conversation in the terminal. Each line typed is a user turn; the answer streams as it is
 * generated. The whole conversation is rendered with the model's chat template every turn; the engine's prefix cache
 * holds the history's K/V, so only the new turn is computed.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a local GGUF model in the terminal. Commands: /reset (forget the conversation), "
                + "/exit (or end of input).")
final class ChatCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    SamplingOptions samplingOptions;

    @Option(names = {"-s", "--system"}, description = "A system prompt that starts the conversation.")
    String system;

    @Option(names = "--stats", description = "Print token counts and speeds after every answer.")
    boolean stats;

    @Spec
    CommandSpec spec;

    /** Where the user's lines come from: the terminal, or a test. */
    InputStream input = System.in;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (LoadedModel loaded = modelOptions.open(); InferenceEngine engine = modelOptions.engine(loaded)) {
            List<ChatMessage> conversation = newConversation();
            BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            out.printf("Chatting with %s. Type /reset to start over, /exit to leave.%n", loaded.name());
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    out.println();
                    out.flush();
                    return 0;
                }
                if (line.strip().equals("/reset")) {
                    conversation = newConversation();
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                conversation.add(ChatMessage.user(line));
                int[] prompt = ChatPrompt.encode(loaded.chatTemplate(), loaded.tokenizer(), conversation, true)
                        .tokens();
                TerminalStream.Outcome answer = TerminalStream.run(engine, prompt, samplingOptions.params(), out);
                out.println();
                out.flush();
                conversation.add(ChatMessage.assistant(answer.text()));
                if (stats) {
                    Stats.print(spec.commandLine().getErr(), answer);
                }
            }
        }
    }

    private List<ChatMessage> newConversation() {
        List<ChatMessage> conversation = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            conversation.add(ChatMessage.system(system));
        }
        return conversation;
    }
}
