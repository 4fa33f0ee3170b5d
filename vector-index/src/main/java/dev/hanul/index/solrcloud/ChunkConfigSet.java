package dev.hanul.index.solrcloud;

import dev.hanul.index.IndexConfig;
import dev.hanul.index.Quantization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Solr configset of a chunk collection: the schema fixes the vector's dimension, similarity and HNSW parameters,
 * so each {@link IndexConfig} has a configset of its own, named after them. A collection records the configset it
 * was created with, which is how opening it with another dimension or similarity is caught.
 */
final class ChunkConfigSet {

    private ChunkConfigSet() {
    }

    /** The configset for these vectors; {@code embeddingModel} (may be blank) is appended, made name-safe. */
    static String name(IndexConfig config, String embeddingModel) {
        String name = "hanul-chunks-d" + config.dimension() + "-" + config.similarity().name().toLowerCase(Locale.ROOT)
                + "-m" + config.maxConnections() + "-b" + config.beamWidth();
        return embeddingModel.isBlank() ? name
                : name + "-" + embeddingModel.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }

    static byte[] zip(IndexConfig config, String configName) {
        if (config.quantization() != Quantization.NONE) {
            throw new IllegalArgumentException("the SolrCloud chunk store keeps full float vectors; quantization "
                    + config.quantization() + " is available in the embedded Lucene store only");
        }
        String similarity = switch (config.similarity()) {
            case COSINE -> "cosine";
            case DOT_PRODUCT -> "dot_product";
            case EUCLIDEAN -> "euclidean";
        };
        String schema = resource("schema.xml")
                .replace("@DIMENSION@", Integer.toString(config.dimension()))
                .replace("@SIMILARITY@", similarity)
                .replace("@MAX_CONNECTIONS@", Integer.toString(config.maxConnections()))
                .replace("@BEAM_WIDTH@", Integer.toString(config.beamWidth()));
        String solrconfig = resource("solrconfig.xml").replace("@CONFIG_NAME@", configName);
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            add(zip, "schema.xml", schema);
            add(zip, "solrconfig.xml", solrconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void add(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String resource(String name) {
        try (InputStream in = ChunkConfigSet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("configset resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
