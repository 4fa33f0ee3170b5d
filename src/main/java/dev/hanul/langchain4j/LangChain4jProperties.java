package dev.hanul.langchain4j;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Hanul's LangChain4j beans behave, under {@code hanul.langchain4j.}.
 *
 * @param enabled     false leaves the beans out
 * @param tenant      whose chunks the {@link HanulEmbeddingStore} bean reads and writes, and the tenant chat
 *                    interactions are logged under
 * @param model       the model requests go to when their parameters name none; null for the {@code default} alias
 * @param temperature the sampling temperature when the parameters give none
 */
@ConfigurationProperties("hanul.langchain4j")
public record LangChain4jProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("default") String tenant,
        String model,
        @DefaultValue("1.0") double temperature) {
}
