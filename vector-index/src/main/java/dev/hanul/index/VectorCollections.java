package dev.hanul.index;

import org.apache.lucene.util.IOUtils;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The vector database: named {@link VectorCollection}s, each its own Lucene index in a subdirectory of the root, so
 * a collection has its own dimension and similarity, and dropping one deletes one directory. Collections are opened
 * once and shared; thread-safe.
 */
public final class VectorCollections implements Closeable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Path root;
    private final Map<String, LuceneVectorCollection> open = new TreeMap<>();

    private VectorCollections(Path root) {
        this.root = root;
    }

    /** Opens every collection under {@code root} (created when absent). */
    public static VectorCollections open(Path root) throws IOException {
        Files.createDirectories(root);
        var collections = new VectorCollections(root);
        try (Stream<Path> entries = Files.list(root)) {
            for (Path directory : entries.filter(Files::isDirectory).sorted().toList()) {
                String name = directory.getFileName().toString();
                collections.open.put(name,
                        LuceneVectorCollection.open(name, directory, LuceneIndex.storedConfig(directory)));
            }
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(collections);
            throw e;
        }
        return collections;
    }

    public synchronized VectorCollection create(String name, IndexConfig config) throws IOException {
        requireName(name);
        if (open.containsKey(name)) {
            throw new IllegalStateException("collection '" + name + "' already exists");
        }
        LuceneVectorCollection collection = LuceneVectorCollection.open(name, root.resolve(name), config);
        open.put(name, collection);
        return collection;
    }

    /** The collection, or {@link NoSuchElementException} naming the ones that exist. */
    public synchronized VectorCollection get(String name) {
        LuceneVectorCollection collection = open.get(name);
        if (collection == null) {
            throw new NoSuchElementException("no collection named '" + name + "'; existing: " + open.keySet());
        }
        return collection;
    }

    public synchronized List<String> names() {
        return new ArrayList<>(open.keySet());
    }

    /** Closes the collection and deletes its files. */
    public synchronized void drop(String name) throws IOException {
        get(name);
        open.remove(name).close();
        try (Stream<Path> files = Files.walk(root.resolve(name))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        IOUtils.close(open.values());
        open.clear();
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collection name '" + name + "' must be 1 to 64 letters, digits, "
                    + "'_' or '-', starting with a letter or digit");
        }
    }
}
