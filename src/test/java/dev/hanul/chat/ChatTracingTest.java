package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.codec.ServerSentEvent;

/**
 * A RAG answer is one trace: under the HTTP request's span sit {@code hanul.chat.retrieve}, {@code hanul.chat.assemble}
 * and the generation's span ({@code chat stories260K-f32}, with OpenTelemetry's GenAI attributes), which holds the
 * engine's queue, prefill and decode phases in that order. Spans go through the real OpenTelemetry SDK to an
 * exporter bean, where an OTLP exporter sits when one is configured.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/chat-tracing", "hanul.model.threads=1",
        "management.tracing.export.enabled=true", "management.tracing.sampling.probability=1.0",
        "management.opentelemetry.tracing.export.schedule-delay=50ms"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ChatTracingTest extends ChatTestSupport {

    @Autowired
    CollectedSpans collected;

    @Test
    void aRagAnswerIsOneTraceFromRetrievalToDecode() {
        String tenant = newTenant();
        ingest(tenant, OfficeDocuments.JSON);
        List<ServerSentEvent<Map<String, Object>>> events = stream(tenant, """
                {"messages": [{"role": "user", "content": "%s"}],
                 "sampling": {"temperature": 0, "maxTokens": 8}}""".formatted(OfficeDocuments.QUESTION));
        assertThat(events).extracting(ServerSentEvent::event).contains("token", "done");

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> generation().isPresent()
                && phases(generation().get()).size() == 3);
        SpanData generation = generation().orElseThrow();
        assertThat(generation.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(generation.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
                .isEqualTo("stories260K-f32@1");
        assertThat(generation.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
                .isBetween(1L, 8L);

        Map<String, SpanData> phases = phases(generation);
        SpanData queue = phases.get("hanul.engine.queue");
        SpanData prefill = phases.get("hanul.engine.prefill");
        SpanData decode = phases.get("hanul.engine.decode");
        assertThat(queue.getStartEpochNanos()).isGreaterThanOrEqualTo(generation.getStartEpochNanos());
        assertThat(prefill.getStartEpochNanos()).isEqualTo(queue.getEndEpochNanos());
        assertThat(decode.getStartEpochNanos()).isEqualTo(prefill.getEndEpochNanos());
        assertThat(decode.getEndEpochNanos()).isLessThanOrEqualTo(generation.getEndEpochNanos());

        // The generation, retrieval and assembly sit under one parent, in the trace of the HTTP request.
        Map<String, SpanData> trace = collected.spans.stream()
                .filter(span -> span.getTraceId().equals(generation.getTraceId()))
                .collect(Collectors.toMap(SpanData::getName, Function.identity(), (a, b) -> a));
        assertThat(trace).containsKeys("hanul.chat.retrieve", "hanul.chat.assemble");
        assertThat(trace.values()).filteredOn(span -> !span.getParentSpanContext().isValid())
                .extracting(SpanData::getName).containsExactly("http post /api/chat");
        assertThat(trace.get("hanul.chat.retrieve").getParentSpanId()).isEqualTo(generation.getParentSpanId());
        assertThat(trace.get("hanul.chat.assemble").getParentSpanId()).isEqualTo(generation.getParentSpanId());
        assertThat(trace.get("hanul.chat.assemble").getEndEpochNanos())
                .isLessThanOrEqualTo(generation.getStartEpochNanos() + Duration.ofMillis(50).toNanos());
    }

    private Optional<SpanData> generation() {
        return collected.spans.stream().filter(span -> span.getName().equals("chat stories260K-f32")).findFirst();
    }

    private Map<String, SpanData> phases(SpanData generation) {
        return collected.spans.stream().filter(span -> span.getParentSpanId().equals(generation.getSpanId()))
                .collect(Collectors.toMap(SpanData::getName, Function.identity()));
    }

    /** What the SDK exported. */
    static final class CollectedSpans implements SpanExporter {

        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @TestConfiguration
    static class Exporter {

        @Bean
        CollectedSpans collectedSpans() {
            return new CollectedSpans();
        }
    }
}
