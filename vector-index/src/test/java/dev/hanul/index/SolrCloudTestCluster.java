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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real 3-node SolrCloud cluster on loopback for the tests, started once per test JVM as a child process (Solr 9
 * runs on Lucene 9, this JVM on Lucene 10): ops/solrcloud's TestCluster on the classpath that Maven resolved from
 * Maven Central into ops/solrcloud/target (scripts/solrcloud-cluster.sh prepares it; .ci/run calls it). When that
 * classpath is missing the SolrCloud tests are skipped with the reason.
 */
public final class SolrCloudTestCluster {

    public static final int NODES = 3;
    private static final Path HOME = Path.of("ops", "solrcloud", "target");
    private static SolrCloudTestCluster running;
    private static final AtomicInteger collections = new AtomicInteger();
    /** How the cluster process marks its answers among Solr's log lines (TestCluster.PREFIX). */
    private static final String ANSWER = "@cluster ";

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers;
    private final List<URI> nodes = new ArrayList<>();

    private final Path directory;

    private SolrCloudTestCluster(Process process, BlockingQueue<String> answers, Path directory) {
        this.process = process;
        this.directory = directory;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = answers;
    }

    /** The shared cluster, started on first use; skips the calling test when it cannot be started here. */
    public static synchronized SolrCloudTestCluster get() {
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
                .redirectErrorStream(true)
                .start();
        // Solr logs to standard output as well: drained into the log file all along (a full pipe would stall the
        // cluster), with the answers to commands picked out.
        var answers = new LinkedBlockingQueue<String>();
        Thread.ofPlatform().daemon().name("solrcloud-test-cluster-output").start(() -> {
            try (var lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    if (line.startsWith(ANSWER)) {
                        answers.add(line.substring(ANSWER.length()));
                    }
                }
            } catch (IOException e) {
                // The process ended; the answers queue stays empty and the waiting side times out.
            }
        });
        var cluster = new SolrCloudTestCluster(process, answers, directory);
        var nodes = new ArrayList<URI>();
        while (true) {
            String answer = cluster.next(180);
            if (answer == null) {
                process.destroyForcibly();
                throw new IOException("the cluster was not ready within 180 s; see " + log.toAbsolutePath());
            }
            String[] parts = answer.split(" ");
            if (parts[0].equals("node")) {
                nodes.add(URI.create(parts[2]));
            } else if (parts[0].equals("ready")) {
                cluster.nodes.addAll(nodes);
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopAll));
                return cluster;
            }
        }
    }

    private String next(int seconds) {
        try {
            return answers.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public List<URI> nodes() {
        return List.copyOf(nodes);
    }

    /** A store configuration for a collection of its own (2 shards × 2 replicas), so tests never share chunks. */
    public SolrCloudConfig newCollection(String prefix) {
        return SolrCloudConfig.of(nodes()).withCollection(prefix + "_" + collections.incrementAndGet())
                .withLayout(2, 2);
    }

    /** Stops node {@code i}: its Jetty and cores close, as when its machine goes away. */
    public void stop(int node) throws IOException {
        command("stop " + node, "stopped " + node);
    }

    public void start(int node) throws IOException {
        command("start " + node, "started " + node);
    }

    public void deleteCollection(String name) {
        try {
            URI delete = URI.create(nodes.getFirst() + "/admin/collections?action=DELETE&name="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8));
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(delete).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // A collection left behind dies with the cluster.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void command(String command, String expectedPrefix) throws IOException {
        commands.println(command);
        String reply = next(120);
        if (reply == null || !reply.startsWith(expectedPrefix)) {
            throw new IOException("test cluster answered '" + reply + "' to '" + command + "'");
        }
    }

    private void stopAll() {
        commands.println("quit");
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is cleaned with the machine's temporary files.
        }
    }
}
