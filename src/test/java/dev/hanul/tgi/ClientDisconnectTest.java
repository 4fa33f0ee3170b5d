package dev.hanul.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.EngineStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Clients that go away mid-generation cost nothing: 20 streams opened and dropped in mid-generation leave zero running
 * sequences and every KV block free. (On an idle machine that takes well under a second; the bound here is generous
 * because test machines are shared, and speed is not what this test checks.) The clients are raw sockets, so "dropped" means the TCP
 * connection closes under the server, as when a browser tab or a process dies, with no HTTP-level goodbye.
 */
class ClientDisconnectTest extends SmolLm2Service {

    static final int STREAMS = 20;
    static final int EVENTS_READ = 3;

    @LocalServerPort
    int port;

    @Test
    void droppedStreamsLeaveNoRunningSequencesAndEveryKvBlockFree() throws IOException {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                clients.add(openStream(i));
            }
            for (Socket client : clients) {
                readEvents(client, EVENTS_READ);
            }
            EngineStats midway = served().engine().stats();
            assertThat(midway.running() + midway.waiting()).as("the generations are still going").isPositive();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }

        // kvBlocksUsed counts blocks referenced by a sequence. Blocks the prefix cache keeps (kvBlocksCached) are
        // referenced by none: they are free, reused as they are by a later prompt with the same prefix or
        // overwritten when the pool needs them, so they are not asserted away.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            EngineStats stats = served().engine().stats();
            assertThat(stats.running()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.kvBlocksUsed()).isZero();
            assertThat(stats.requestsFinished()).isEqualTo(stats.requestsSubmitted());
        });
    }

    /** Posts a long streaming generation and leaves the response unread. */
    private Socket openStream(int seed) throws IOException {
        String body = """
                {"inputs": "%s", "parameters": {"max_new_tokens": 500, "do_sample": true, "seed": %d}}"""
                .formatted(chatPrompt("Write a very long story about a dragon who learns to bake bread.")
                        .replace("\n", "\\n"), seed);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(120_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /generate_stream HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static void readEvents(Socket socket, int events) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).startsWith("HTTP/1.1 200");
        int seen = 0;
        while (seen < events) {
            String line = reader.readLine();
            assertThat(line).as("the stream ended early").isNotNull();
            // Chunked framing may split an event's line after "data:"; the prefix still starts a line.
            if (line.startsWith("data:")) {
                seen++;
            }
        }
    }
}
