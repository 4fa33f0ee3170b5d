package dev.hanul.solrcloud;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A SolrCloud cluster on loopback for Hanul's tests: ZooKeeper and {@code nodes} Solr nodes, each on a port of its
 * own, driven through standard input by the test that started this JVM.
 *
 * <p>Usage: {@code TestCluster <directory> <nodes>}. Prints {@code node <i> <base url>} for each node, then
 * {@code ready <zookeeper address>}. Commands, one a line: {@code stop <i>} (the node goes down: its Jetty and cores
 * close, as when a machine is switched off between two requests), {@code start <i>} (it comes back on its port and
 * recovers from its transaction log and the other replicas), {@code quit}. End of input also quits, so the cluster
 * never outlives the test that started it. Solr logs to standard output too: the answers start with
 * {@value #PREFIX} to stand out.
 */
public final class TestCluster {

    static final String PREFIX = "@cluster ";

    private static synchronized void reply(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TestCluster <directory> <nodes>");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        int nodes = Integer.parseInt(args[1]);
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(nodes, directory).build();
        try {
            List<JettySolrRunner> jetties = List.copyOf(cluster.getJettySolrRunners());
            for (int i = 0; i < jetties.size(); i++) {
                reply("node " + i + " " + jetties.get(i).getBaseUrl());
            }
            reply("ready " + cluster.getZkServer().getZkAddress());
            var input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = input.readLine()) != null; ) {
                String[] command = line.strip().split("\\s+");
                switch (command[0]) {
                    case "stop" -> {
                        int node = Integer.parseInt(command[1]);
                        jetties.get(node).stop();
                        reply("stopped " + node);
                    }
                    case "start" -> {
                        int node = Integer.parseInt(command[1]);
                        jetties.get(node).start(true);
                        reply("started " + node + " " + jetties.get(node).getBaseUrl());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> reply("error unknown command: " + line);
                }
            }
        } finally {
            cluster.shutdown();
        }
    }
}
