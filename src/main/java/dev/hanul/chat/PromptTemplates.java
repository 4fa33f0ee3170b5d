package dev.hanul.chat;

import dev.hanul.inference.Parameter;

/**
 * Where RAG prompt templates come from: by name and version, or by a label that moves ({@code rag-default@production},
 * possibly split across versions for an A/B test). The prompt registry ({@code dev.hanul.prompts}) serves it.
 */
public interface PromptTemplates {

    /** The default template's name. */
    String DEFAULT_NAME = "rag-default";

    /** The label a request without a version gets, when the template has it; otherwise the latest version. */
    String DEFAULT_LABEL = "production";

    /**
     * @param name       a template's name, or {@code name@label} for the version a label points at
     * @param version    a version number; null for the default label's (or the latest) version
     * @param routingKey what keeps a conversation on one version while a label splits requests; null for a random
     *                   draw
     * @throws NotFound naming the unknown name, label or version and the ones that exist
     */
    PromptTemplate find(String name, Integer version, String routingKey);

    /**
     * No template of that name, or no such version of it.
     *
     * @param parameter which of the request's two template fields is wrong
     */
    final class NotFound extends RuntimeException {
        private final Parameter parameter;

        public NotFound(Parameter parameter, String problem) {
            super(problem);
            this.parameter = parameter;
        }

        public Parameter parameter() {
            return parameter;
        }
    }
}
