package dev.hanul.springai;

import dev.hanul.embedding.Embedder;
import dev.hanul.inference.Inference;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Hanul's engine, embedder and index as Spring AI beans, when Spring AI is on the class path (it is an optional
 * dependency: an application that wants these brings spring-ai-model and spring-ai-vector-store, usually through
 * spring-ai-client-chat). An auto-configuration, so it runs after the application's own configuration and each bean
 * backs off when the application defines its own of that type.
 */
@AutoConfiguration
@ConditionalOnClass(name = {"org.springframework.ai.chat.model.ChatModel",
        "org.springframework.ai.vectorstore.VectorStore"})
@ConditionalOnBooleanProperty(name = "hanul.spring-ai.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SpringAiProperties.class)
public class SpringAiConfiguration {

    @Bean
    @ConditionalOnBean(Inference.class)
    @ConditionalOnMissingBean(ChatModel.class)
    HanulChatModel hanulChatModel(Inference inference, SpringAiProperties properties) {
        return new HanulChatModel(inference, ChatOptions.builder().model(properties.model())
                .temperature(properties.temperature()).build(), properties.tenant());
    }

    @Bean
    @ConditionalOnBean(Embedder.class)
    @ConditionalOnMissingBean(EmbeddingModel.class)
    HanulEmbeddingModel hanulEmbeddingModel(Embedder embedder) {
        return new HanulEmbeddingModel(embedder);
    }

    @Bean
    @ConditionalOnBean({Embedder.class, dev.hanul.index.VectorStore.class})
    @ConditionalOnMissingBean(VectorStore.class)
    HanulVectorStore hanulVectorStore(dev.hanul.index.VectorStore chunkStore, Embedder embedder,
            SpringAiProperties properties) {
        return new HanulVectorStore(chunkStore, embedder, properties.tenant());
    }
}
