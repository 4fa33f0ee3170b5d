package dev.hanul.langchain4j;

import dev.hanul.engine.GenerationEvent;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * Hanul's models as a LangChain4j {@link StreamingChatModel}: the text of each token as it is generated, then the
 * whole answer with usage and finish reason. A refusal or failure (the façade's typed
 * {@link dev.hanul.inference.InferenceFailure}s) goes to {@link StreamingChatResponseHandler#onError}.
 */
public final class HanulLangChain4jStreamingChatModel implements StreamingChatModel {

    private final LangChain4jChats chats;

    HanulLangChain4jStreamingChatModel(LangChain4jChats chats) {
        this.chats = chats;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        LangChain4jChats.Started started;
        try {
            started = chats.start(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        var text = new StringBuilder();
        started.events().subscribe(event -> {
            switch (event) {
                case GenerationEvent.Token token when !token.text().isEmpty() -> {
                    text.append(token.text());
                    handler.onPartialResponse(token.text());
                }
                case GenerationEvent.Token token -> {
                }
                case GenerationEvent.Finished finished -> {
                    if (!finished.text().isEmpty()) {
                        text.append(finished.text());
                        handler.onPartialResponse(finished.text());
                    }
                    handler.onCompleteResponse(LangChain4jChats.response(started, text.toString(), finished));
                }
            }
        }, handler::onError);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return chats.defaults();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }
}
