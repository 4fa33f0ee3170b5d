package dev.hanul.openai;

import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.ChatTools;
import dev.hanul.inference.Inference;
import dev.hanul.inference.RoutedModel;
import dev.hanul.inference.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * vLLM's {@code POST /tokenize} and {@code POST /detokenize}, in vLLM's request and response shapes, with the
 * model's own tokenizer: a client counts a prompt's tokens (or a conversation's, as /v1/chat/completions renders it
 * with the chat template and tools) before sending it, and reads token ids back as text. Errors are OpenAI error
 * objects, as vLLM gives them.
 */
@RestController
class TokenizeController {

    private final Inference inference;

    TokenizeController(Inference inference) {
        this.inference = inference;
    }

    @PostMapping(path = "/tokenize", consumes = MediaType.APPLICATION_JSON_VALUE)
    TokenizeResponse tokenize(@RequestBody TokenizeRequest request, ServerWebExchange exchange) {
        new OpenAiParameters("max_tokens", request.messages() != null ? "messages" : "prompt").on(exchange);
        if ((request.prompt() == null) == (request.messages() == null)) {
            throw OpenAiException.invalid(request.prompt() == null ? "prompt" : "messages", "Send either prompt (a "
                    + "text) or messages (a conversation), not both and not neither.");
        }
        RoutedModel model = inference.route(request.model(), null);
        Tokenizer tokenizer = model.tokenizer();
        int[] tokens;
        if (request.prompt() != null) {
            tokens = Boolean.FALSE.equals(request.addSpecialTokens()) ? tokenizer.encode(request.prompt(), true)
                    : model.encodeText(request.prompt());
        } else {
            List<Map<String, Object>> messages = ChatMessages.of(request.messages());
            ChatTools tools = new ChatTools(List.of(), new ToolChoice.None(), false);
            if (request.tools() != null && !request.tools().isNull()) {
                tools = OpenAiTools.of(request.tools());
            }
            String text = model.chatText(messages, tools, !Boolean.FALSE.equals(request.addGenerationPrompt()));
            // As /v1/chat/completions encodes it (the model's BOS unless the template wrote it), so the count is the
            // prompt_tokens that request reports; add_special_tokens false leaves the BOS out.
            tokens = Boolean.FALSE.equals(request.addSpecialTokens()) ? tokenizer.encode(text, true)
                    : model.encodeText(text);
        }
        List<String> strings = null;
        if (Boolean.TRUE.equals(request.returnTokenStrs())) {
            strings = new ArrayList<>(tokens.length);
            for (int token : tokens) {
                strings.add(tokenizer.token(token));
            }
        }
        return new TokenizeResponse(tokens.length, model.window(), tokens, strings);
    }

    @PostMapping(path = "/detokenize", consumes = MediaType.APPLICATION_JSON_VALUE)
    DetokenizeResponse detokenize(@RequestBody DetokenizeRequest request, ServerWebExchange exchange) {
        new OpenAiParameters("max_tokens", "prompt").on(exchange);
        if (request.tokens() == null) {
            throw OpenAiException.invalid("tokens", "tokens is missing; send the token ids to decode.");
        }
        RoutedModel model = inference.route(request.model(), null);
        int vocabulary = model.tokenizer().vocabularySize();
        int[] ids = new int[request.tokens().size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = request.tokens().get(i);
            if (id == null || id < 0 || id >= vocabulary) {
                throw OpenAiException.invalid("tokens", "tokens[%d] = %s is not a token id of this model (0 to %d)."
                        .formatted(i, id, vocabulary - 1));
            }
            ids[i] = id;
        }
        return new DetokenizeResponse(model.tokenizer().decode(ids, true));
    }
}
