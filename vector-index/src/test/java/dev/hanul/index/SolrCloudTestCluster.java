package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real 3-node SolrCloud cluster on loopback for the tests, started once per test JVM as a child process (Solr 9
 * runs on Lucene 9, this JVM on Lucene 10): ops/solrcloud's TestCluster on the classpath that Maven resolved from
 * Maven Central into ops/solrcloud/target (scripts/solrcloud-cluster.sh prepares it; .ci/run calls it). When that
 * classpath is missing the SolrCloud tests are skipped with the reason.
 */
final class SolrCloudTestCluster {

    static final int NODES = 3;
    private static final Path HOME = Path.of("ops", "solrcloud", "target");
    private static SolrCloudTestCluster running;
    private static final AtomicInteger collections = new AtomicInteger();

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader replies;
    private final List<URI> nodes;

    private SolrCloudTestCluster(Process process, BufferedReader replies, List<URI> nodes) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.replies = replies;
        this.nodes = List.copyOf(nodes);
    }

    /** The shared cluster, started on first use; skips the calling test when it cannot be started here. */
    static synchronized SolrCloudTestCluster get() {
        Path classpath = HOME.resolve("classpath.txt");
        Assumptions.assumeTrue(Files.isRegularFile(classpath) && Files.isDirectory(HOME.resolve("classes")),
                "the SolrCloud test cluster is not prepared (" + classpath.toAbsolutePath() + " is missing): run "
                        + "scripts/solrcloud-cluster.sh, which fetches solr-test-framework 9.10.1 from Maven Central");
        if (running == null || !running.process.isAlive()) {
            try {
                running = start(classpath);
            } catch (IOException e) {
                Assumptions.abort("the SolrCloud test cluster did not start: " + e.getMessage());
            }
        }
        return running;
    }

    private static SolrCloudTestCluster start(Path classpath) throws IOException {
        Path directory = Files.createTempDirectory("hanul-solrcloud");
        Path log = HOME.resolve("test-cluster.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        var process = new ProcessBuilder(java, "-Xmx1g", "-Dsolr.log.dir=" + directory.resolve("logs"),
                "-cp", HOME.resolve("classes") + File.pathSeparator + Files.readString(classpath).strip(),
                "dev.hanul.solrcloud.TestCluster", directory.toString(), Integer.toString(NODES))
                .redirectError(log.toFile())
                .start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var nodes = new ArrayList<URI>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (String line; (line = reader.readLine()) != null; ) {
            String[] parts = line.split(" ");
            if (parts[0].equals("node")) {
                nodes.add(URI.create(parts[2]));
            } else if (parts[0].equals("ready")) {
                var cluster = new SolrCloudTestCluster(process, reader, nodes);
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopAll));
                return cluster;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IOException("the cluster process ended before it was ready; see " + log.toAbsolutePath());
    }

    List<URI> nodes() {
        return nodes;
    }

    /** A store configuration for a collection of its own (2 shards × 2 replicas), so tests never share chunks. */
    SolrCloudConfig newCollection(String prefix) {
        return SolrCloudConfig.of(nodes).withCollection(prefix + "_" + collections.incrementAndGet())
                .withLayout(2, 2);
    }

    /** Stops node {@code i}: its Jetty and cores close, as when its machine goes away. */
    void stop(int node) throws IOException {
        command("stop " + node, "stopped " + node);
    }

    void start(int node) throws IOException {
        command("start " + node, "started " + node);
    }

    void deleteCollection(String name) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nodes.getFirst()
                            + "/admin/collections?action=DELETE&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // A collection left behind dies with the cluster.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void command(String command, String expectedPrefix) throws IOException {
        commands.println(command);
        String reply = replies.readLine();
        if (reply == null || !reply.startsWith(expectedPrefix)) {
            throw new IOException("test cluster answered '" + reply + "' to '" + command + "'");
        }
    }

    private void stopAll() {
        commands.println("quit");
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
