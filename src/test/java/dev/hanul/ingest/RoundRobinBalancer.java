package dev.hanul.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A small HTTP load balancer for the replica tests, in front of several Hanul replicas on loopback: each request goes
 * to the next replica in turn; a replica that does not answer (killed) is passed over for the next one, as a real
 * balancer's health checks and retries do. Responses are streamed through as they come, so server-sent events keep
 * their timing. Requests are retried on another replica after any transport failure, which is right for what the
 * tests send through it (reads, searches, chats) and not for writes, which they send to one replica directly.
 */
final class RoundRobinBalancer implements AutoCloseable {

    /** Hop-by-hop headers and those java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "host", "keep-alive",
            "transfer-encoding", "te", "trailer", "upgrade", "expect", "proxy-connection");

    private final List<URI> backends;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<URI, AtomicInteger> served = new ConcurrentHashMap<>();
    /** The responses being relayed now: what a test that waits too long prints, to tell which side is stuck. */
    private final Map<Relay, Boolean> relaying = new ConcurrentHashMap<>();

    RoundRobinBalancer(List<URI> backends) throws IOException {
        this.backends = List.copyOf(backends);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The responses being relayed now, one line each: the request, the replica, for how long, the bytes so far and
     * the last of them (whether a stream's {@code [DONE]} came through shows which side left it open).
     */
    String inFlight() {
        long now = System.nanoTime();
        return relaying.keySet().stream().map(relay -> relay.describe(now)).sorted()
                .collect(Collectors.joining("\n"));
    }

    /** Requests each replica answered. */
    Map<URI, Integer> served() {
        var counts = new HashMap<URI, Integer>();
        served.forEach((backend, count) -> counts.put(backend, count.get()));
        return counts;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int first = Math.floorMod(next.getAndIncrement(), backends.size());
            for (int attempt = 0; attempt < backends.size(); attempt++) {
                URI backend = backends.get((first + attempt) % backends.size());
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request(exchange, backend, body), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException unreachable) {
                    continue;
                }
                served.computeIfAbsent(backend, b -> new AtomicInteger()).incrementAndGet();
                var relay = new Relay(exchange.getRequestMethod() + " " + exchange.getRequestURI(), backend);
                relaying.put(relay, true);
                try {
                    relay(exchange, response, relay);
                } finally {
                    relaying.remove(relay);
                }
                return;
            }
            exchange.sendResponseHeaders(502, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest request(HttpExchange exchange, URI backend, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofMinutes(10));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response, Relay relay)
            throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase())) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        int status = response.statusCode();
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : 0);
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                // Flushed per read: a streamed answer reaches the client token by token, not a buffer at a time.
                out.write(buffer, 0, read);
                out.flush();
                relay.relayed(buffer, read);
            }
        }
    }

    /** One response on its way through: counted and its last bytes kept as they pass. */
    private static final class Relay {
        private final String request;
        private final URI backend;
        private final long started = System.nanoTime();
        private volatile long bytes;
        private volatile String tail = "";

        Relay(String request, URI backend) {
            this.request = request;
            this.backend = backend;
        }

        void relayed(byte[] buffer, int read) {
            bytes += read;
            String text = tail + new String(buffer, 0, read, StandardCharsets.UTF_8);
            tail = text.substring(Math.max(0, text.length() - 120));
        }

        String describe(long now) {
            return "%s from %s: %d s, %d bytes, ending %s".formatted(request, backend,
                    (now - started) / 1_000_000_000, bytes, tail.replace("\n", "\\n"));
        }
    }

    @Override
    public void close() {
        // Not close(), which waits: a response still being relayed (a test that failed on a stuck stream) is cut.
        server.stop(0);
        threads.shutdownNow();
        client.shutdownNow();
    }
}
