package dev.hanul.engine.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.hanul.engine.gguf.GgufFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * Renders a conversation into the prompt text a model was trained on, with the model's own Jinja template
 * ({@code tokenizer.chat_template}), as Hugging Face's apply_chat_template does. Models without a template get ChatML.
 */
public final class ChatTemplate {

    /** ChatML, the format of many instruction-tuned models, for models that ship no template. */
    public static final String CHATML = """
            {% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}\
            {% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}""";

    private static final Jinjava JINJAVA = createJinjava();

    private final String template;
    private final String bosToken;
    private final String eosToken;

    public ChatTemplate(String template, String bosToken, String eosToken) {
        this.template = JinjaCompat.adapt(template);
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /** The template's text: which tool-call format the model writes is read from it ({@link ToolCallFormat#of}). */
    public String template() {
        return template;
    }

    /** The template of a model file, with its BOS and EOS token texts. */
    public static ChatTemplate of(GgufFile gguf) {
        String[] tokens = gguf.has("tokenizer.ggml.tokens") ? gguf.getStringArray("tokenizer.ggml.tokens") : null;
        return new ChatTemplate(gguf.getString("tokenizer.chat_template", CHATML),
                tokenText(tokens, gguf.getInt("tokenizer.ggml.bos_token_id", -1)),
                tokenText(tokens, gguf.getInt("tokenizer.ggml.eos_token_id", -1)));
    }

    /** The prompt for {@code messages}; with {@code addGenerationPrompt} it ends where the assistant's turn begins. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages.stream()
                .map(m -> Map.<String, Object>of("role", m.role(), "content", m.content()))
                .toList(), addGenerationPrompt, null);
    }

    /**
     * The prompt for a conversation with tools, as Hugging Face's apply_chat_template(messages, tools=...) renders it:
     * {@code messages} in OpenAI's shape as maps ({@code role}, {@code content}, and for tool calling an assistant's
     * {@code tool_calls} — each {@code {id, type: "function", function: {name, arguments}}} with {@code arguments}
     * parsed into a map, since templates write it with {@code tojson} — and a tool result's {@code tool_call_id} and
     * {@code name}); {@code tools} in OpenAI's shape ({@code {type: "function", function: {name, description,
     * parameters}}}), or null for none. The model's own template decides how tools and calls are written; a template
     * that knows nothing of tools gets them written as Qwen 2.5 writes them ({@link HermesToolPrompt}).
     */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt,
                         List<Map<String, Object>> tools) {
        if (!HermesToolPrompt.handledBy(template) && HermesToolPrompt.needed(messages, tools)) {
            messages = HermesToolPrompt.rewrite(messages, tools);
            tools = null;
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", messages);
        if (tools != null && !tools.isEmpty()) {
            context.put("tools", tools);
        }
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = JINJAVA.renderForResult(template, context);
        List<TemplateError> errors = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("The model's chat template failed: " + describe(errors.getFirst()));
        }
        return result.getOutput();
    }

    /** The deepest cause's message: for raise_exception that is the template author's own words. */
    private static String describe(TemplateError error) {
        Throwable cause = error.getException();
        while (cause != null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : error.getMessage();
        return error.getLineno() > 0 ? message + " (template line " + error.getLineno() + ")" : message;
    }

    private static String tokenText(String[] tokens, int id) {
        return tokens != null && id >= 0 && id < tokens.length ? tokens[id] : "";
    }

    private static Jinjava createJinjava() {
        // Hugging Face renders templates with Jinja2's trim_blocks and lstrip_blocks on; {{- and -}} trim too.
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withElResolver(resolver)
                // A value is data: with nested interpretation Jinjava renders "{{ ... }}" found inside a message's
                // content as template code (found by ChatTemplateFuzzTest, finding-content-rendered-as-template).
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build());
        jinjava.getGlobalContext().registerFilter(new PythonJsonFilter());
        jinjava.getGlobalContext().registerExpTest(new PythonIterableTest());
        // Hugging Face templates call raise_exception() to reject conversations they cannot render.
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        return jinjava;
    }

    public static String raiseException(String message) {
        throw new IllegalArgumentException("The chat template rejected the conversation: " + message);
    }
}
