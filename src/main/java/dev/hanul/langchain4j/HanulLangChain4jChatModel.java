package dev.hanul.langchain4j;

import dev.hanul.engine.GenerationEvent;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * Hanul's models as a LangChain4j {@link ChatModel}, through the inference façade (see {@link LangChain4jChats}).
 * Failures are the façade's typed {@link dev.hanul.inference.InferenceFailure}s.
 */
public final class HanulLangChain4jChatModel implements ChatModel {

    private final LangChain4jChats chats;

    HanulLangChain4jChatModel(LangChain4jChats chats) {
        this.chats = chats;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        LangChain4jChats.Started started = chats.start(request);
        var text = new StringBuilder();
        var end = new GenerationEvent.Finished[1];
        started.events().doOnNext(event -> {
            switch (event) {
                case GenerationEvent.Token token -> text.append(token.text());
                case GenerationEvent.Finished finished -> {
                    text.append(finished.text());
                    end[0] = finished;
                }
            }
        }).blockLast();
        return LangChain4jChats.response(started, text.toString(), end[0]);
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
