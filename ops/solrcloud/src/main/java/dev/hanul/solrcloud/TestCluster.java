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
 * never outlives the test that started it.
 */
public final class TestCluster {

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
                System.out.println("node " + i + " " + jetties.get(i).getBaseUrl());
            }
            System.out.println("ready " + cluster.getZkServer().getZkAddress());
            System.out.flush();
            var input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = input.readLine()) != null; ) {
                String[] command = line.strip().split("\\s+");
                switch (command[0]) {
                    case "stop" -> {
                        int node = Integer.parseInt(command[1]);
                        jetties.get(node).stop();
                        System.out.println("stopped " + node);
                    }
                    case "start" -> {
                        int node = Integer.parseInt(command[1]);
                        jetties.get(node).start(true);
                        System.out.println("started " + node + " " + jetties.get(node).getBaseUrl());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("error unknown command: " + line);
                }
                System.out.flush();
            }
        } finally {
            cluster.shutdown();
        }
    }
}
