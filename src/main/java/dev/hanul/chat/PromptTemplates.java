package dev.hanul.chat;

import dev.hanul.inference.Parameter;

/**
 * Where RAG prompt templates come from, by name and version. Today the built-in ones ({@link BuiltInPromptTemplates});
 * prompt management will put versions in the database behind the same lookup.
 */
public interface PromptTemplates {

    /** The default template's name. */
    String DEFAULT_NAME = "rag-default";

    /**
     * @param version a version number, or null for the latest
     * @throws NotFound naming the unknown name or version and the ones that exist
     */
    PromptTemplate find(String name, Integer version);

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
