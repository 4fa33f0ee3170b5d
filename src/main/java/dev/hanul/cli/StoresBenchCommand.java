package dev.hanul.cli;

import dev.hanul.index.bench.StoreBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hanul bench stores}: the embedded Lucene store and a SolrCloud collection side by side. */
@Command(name = "stores", mixinStandardHelpOptions = true,
        description = "Bulk-ingest chunks/s and hybrid-search latency and queries/s of the embedded chunk store and, "
                + "with --solr, of a SolrCloud collection, on the same synthetic chunks.")
final class StoresBenchCommand implements Callable<Integer> {

    @Option(names = "--solr", paramLabel = "URL[,URL...]",
            description = "Solr node URLs (http://host:8983/solr); without it, the embedded store alone.")
    String solr;

    @Option(names = "--chunks", defaultValue = "20000", description = "Chunks to ingest (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--queries", defaultValue = "200", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--threads", defaultValue = "8",
            description = "Searching threads for the throughput run (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--writers", defaultValue = "4", description = "Ingesting threads (default: ${DEFAULT-VALUE}).")
    int writers;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(List.of("--chunks", Integer.toString(chunks), "--queries",
                Integer.toString(queries), "--threads", Integer.toString(threads), "--writers",
                Integer.toString(writers)));
        if (solr != null) {
            args.addAll(List.of("--solr", solr));
        }
        StoreBenchmark.main(args.toArray(String[]::new));
        return 0;
    }
}
