package dev.hanul.index.solrcloud;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrResponse;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.common.SolrException;

/**
 * The Solr nodes this store talks to, over HTTP only. Any SolrCloud node accepts any request (it forwards updates
 * to shard leaders and fans queries out to the shards), so a node that cannot be reached is simply skipped for the
 * next one. A request that fails because the cluster is between states (a node went down, a new leader is being
 * elected: 5xx) is retried with growing pauses until {@code retryFor} has passed; every request this store sends is
 * idempotent (chunk ids are deterministic and updates overwrite), so a retry after a lost answer does no harm.
 * Requests Solr rejects as malformed (4xx) fail at once.
 */
final class SolrNodes implements Closeable {

    /** One request against one node. */
    @FunctionalInterface
    interface Call<T> {
        T on(HttpJdkSolrClient node) throws SolrServerException, IOException;
    }

    private final List<URI> urls;
    private final List<HttpJdkSolrClient> clients = new ArrayList<>();
    private final Duration retryFor;
    private final AtomicInteger current = new AtomicInteger();

    SolrNodes(SolrCloudConfig config) {
        this.urls = config.nodes();
        this.retryFor = config.retryFor();
        for (URI url : urls) {
            clients.add(new HttpJdkSolrClient.Builder(url.toString())
                    .useHttp1_1(true)
                    .withConnectionTimeout(5, TimeUnit.SECONDS)
                    .withRequestTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .build());
        }
    }

    <R extends SolrResponse> R send(SolrRequest<R> request, String collection) throws IOException {
        return call(node -> request.process(node, collection));
    }

    <T> T call(Call<T> call) throws IOException {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long pauseMillis = 50;
        Exception last = null;
        while (true) {
            int index = Math.floorMod(current.get(), clients.size());
            try {
                return call.on(clients.get(index));
            } catch (SolrServerException | IOException e) {
                // Not reachable, or the answer was lost: the next node.
                current.compareAndSet(index, index + 1);
                last = e;
            } catch (SolrException e) {
                if (e.code() < 500) {
                    throw new IllegalArgumentException("Solr rejected the request: " + e.getMessage(), e);
                }
                last = e;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
                throw new IOException("SolrCloud did not answer within " + retryFor.toSeconds() + " s (nodes " + urls
                        + "): " + last.getMessage() + "; check that the nodes are up and reachable", last);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for SolrCloud", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 2000);
        }
    }

    @Override
    public void close() throws IOException {
        for (HttpJdkSolrClient client : clients) {
            client.close();
        }
    }
}
