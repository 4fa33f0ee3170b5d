package dev.hanul.langchain4j;

import dev.hanul.embedding.Embedder;
import dev.hanul.inference.Inference;
import dev.hanul.index.VectorStore;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Hanul's engine, embedder and index as LangChain4j beans (langchain4j-core is on the class path already: it comes
 * with the bundled embedding model). Each bean backs off when the application defines its own of that type.
 */
@AutoConfiguration
@ConditionalOnClass(name = "dev.langchain4j.model.chat.ChatModel")
@ConditionalOnBooleanProperty(name = "hanul.langchain4j.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LangChain4jProperties.class)
public class LangChain4jConfiguration {

    private static LangChain4jChats chats(Inference inference, LangChain4jProperties properties) {
        return new LangChain4jChats(inference, ChatRequestParameters.builder().modelName(properties.model())
                .temperature(properties.temperature()).build(), properties.tenant());
    }

    @Bean
    @ConditionalOnBean(Inference.class)
    @ConditionalOnMissingBean(dev.langchain4j.model.chat.ChatModel.class)
    HanulLangChain4jChatModel hanulLangChain4jChatModel(Inference inference, LangChain4jProperties properties) {
        return new HanulLangChain4jChatModel(chats(inference, properties));
    }

    @Bean
    @ConditionalOnBean(Inference.class)
    @ConditionalOnMissingBean(dev.langchain4j.model.chat.StreamingChatModel.class)
    HanulLangChain4jStreamingChatModel hanulLangChain4jStreamingChatModel(Inference inference,
            LangChain4jProperties properties) {
        return new HanulLangChain4jStreamingChatModel(chats(inference, properties));
    }

    @Bean
    @ConditionalOnBean(Embedder.class)
    @ConditionalOnMissingBean(dev.langchain4j.model.embedding.EmbeddingModel.class)
    HanulLangChain4jEmbeddingModel hanulLangChain4jEmbeddingModel(Embedder embedder) {
        return new HanulLangChain4jEmbeddingModel(embedder);
    }

    @Bean
    @ConditionalOnBean(VectorStore.class)
    @ConditionalOnMissingBean(dev.langchain4j.store.embedding.EmbeddingStore.class)
    HanulEmbeddingStore hanulEmbeddingStore(VectorStore chunkStore, LangChain4jProperties properties) {
        return new HanulEmbeddingStore(chunkStore, properties.tenant());
    }
}
