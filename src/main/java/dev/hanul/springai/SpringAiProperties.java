package dev.hanul.springai;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Hanul's Spring AI beans behave, under {@code hanul.spring-ai.}.
 *
 * @param enabled     false leaves the beans out even when Spring AI is on the class path
 * @param tenant      whose chunks the {@link HanulVectorStore} bean reads and writes, and the tenant the chat model's
 *                    interactions are logged under ({@link HanulVectorStore#forTenant} gives other tenants' views)
 * @param model       the model requests go to when their options name none: an alias, {@code name@version}, or null
 *                    for the {@code default} alias
 * @param temperature the sampling temperature when the options give none (OpenAI's default)
 */
@ConfigurationProperties("hanul.spring-ai")
public record SpringAiProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("default") String tenant,
        String model,
        @DefaultValue("1.0") double temperature) {
}
