package dev.hanul.registry;

import java.net.URI;
import java.nio.file.Path;

/** Where a version's GGUF file comes from, or, for {@link Remote}, the server that runs it. */
public sealed interface VersionSource {

    Kind kind();

    /** The path, the repository, or the address, as stored. */
    String location();

    /** The file in a Hugging Face repository, or the model's name on a remote server; null for the others. */
    default String file() {
        return null;
    }

    enum Kind { LOCAL, HUGGING_FACE, URL, REMOTE }

    /** A file on this machine, served in place. */
    record Local(Path path) implements VersionSource {
        @Override
        public Kind kind() {
            return Kind.LOCAL;
        }

        @Override
        public String location() {
            return path.toString();
        }
    }

    /** A file of a Hugging Face repository, downloaded once into {@code <data-dir>/models}. */
    record HuggingFace(String repository, String file) implements VersionSource {
        @Override
        public Kind kind() {
            return Kind.HUGGING_FACE;
        }

        @Override
        public String location() {
            return repository;
        }
    }

    /** A file at an address, downloaded once into {@code <data-dir>/models}. */
    record Url(URI address) implements VersionSource {
        @Override
        public Kind kind() {
            return Kind.URL;
        }

        @Override
        public String location() {
            return address.toString();
        }
    }

    /**
     * A model served by an OpenAI-compatible server (vLLM, TGI, llama-server, Ollama, another Hanul), configured
     * under {@code hanul.remote.models.<name>}; nothing is downloaded.
     *
     * @param model the model's name on that server
     */
    record Remote(URI baseUrl, String model) implements VersionSource {
        @Override
        public Kind kind() {
            return Kind.REMOTE;
        }

        @Override
        public String location() {
            return baseUrl.toString();
        }

        @Override
        public String file() {
            return model;
        }
    }

    static VersionSource of(Kind kind, String location, String file) {
        return switch (kind) {
            case LOCAL -> new Local(Path.of(location));
            case HUGGING_FACE -> new HuggingFace(location, file);
            case URL -> new Url(URI.create(location));
            case REMOTE -> new Remote(URI.create(location), file);
        };
    }
}
