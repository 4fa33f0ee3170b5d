package dev.hanul.chat;

/**
 * Where RAG prompt templates come from, by name and version. Today the built-in ones ({@link BuiltInPromptTemplates});
 * prompt management will put versions in the database behind the same lookup.
 */
public interface PromptTemplates {

    /** The default template's name. */
    String DEFAULT_NAME = "rag-default";

    /**
     * @param version a version number, or null for the latest
     * @throws IllegalArgumentException naming the unknown name or version and the ones that exist
     */
    PromptTemplate find(String name, Integer version);
}
