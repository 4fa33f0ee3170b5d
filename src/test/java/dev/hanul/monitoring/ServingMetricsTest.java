package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * After real traffic on stories260K (OpenAI chat and completions, streamed and not, and TGI), every vLLM-named and
 * OpenTelemetry GenAI series is in /actuator/prometheus, tagged with the model and its version, with values that
 * agree with the traffic sent.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/serving-metrics", "hanul.model.threads=1"})
@AutoConfigureWebTestClient
class ServingMetricsTest {

    static final String MODEL = "stories260K-f32";
    /** The version that answers: the registry's first version of the configured model. */
    static final String VERSION = MODEL + "@1";

    @Autowired
    WebTestClient http;

    @Test
    void everyNamedSeriesIsScrapedWithPlausibleValues() {
        for (int i = 0; i < 3; i++) {
            post("/v1/chat/completions", """
                    {"model": "%s", "max_tokens": 8, "ignore_eos": true,
                     "messages": [{"role": "user", "content": "Once upon a time"}]}""".formatted(MODEL));
        }
        post("/v1/completions", """
                {"model": "%s", "max_tokens": 6, "ignore_eos": true, "prompt": "Lily had a dog"}""".formatted(MODEL));
        post("/v1/completions", """
                {"model": "%s", "max_tokens": 6, "ignore_eos": true, "stream": true,
                 "prompt": "Lily had a dog"}""".formatted(MODEL));
        post("/generate", """
                {"inputs": "Tom went", "parameters": {"max_new_tokens": 5}}""");

        PrometheusScrape scrape = PrometheusScrape.parse(http.get().uri("/actuator/prometheus")
                .accept(MediaType.TEXT_PLAIN).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        String[] model = {"model_name", MODEL, "model_version", VERSION};
        assertThat(scrape.value("vllm_request_success_total", with(model, "finished_reason", "length")))
                .as("8-token answers with ignore_eos end by length").isGreaterThanOrEqualTo(5);
        double finished = scrape.value("vllm_request_success_total", model);
        assertThat(finished).isEqualTo(6);
        double prompt = scrape.value("vllm_prompt_tokens_total", model);
        double generated = scrape.value("vllm_generation_tokens_total", model);
        assertThat(prompt).isGreaterThanOrEqualTo(6 * 2);
        assertThat(generated).isBetween(3 * 8 + 2 * 6 + 1.0, 3 * 8 + 2 * 6 + 5.0);
        assertThat(scrape.value("vllm_prefix_cache_queries_total", model)).isEqualTo(prompt);
        assertThat(scrape.value("vllm_prefix_cache_hits_total", model))
                .as("the same chat prompt three times hits the prefix cache").isBetween(1.0, prompt);
        assertThat(scrape.value("vllm_num_requests_running", model)).isZero();
        assertThat(scrape.value("vllm_num_requests_waiting", model)).isZero();
        assertThat(scrape.value("vllm_kv_cache_usage_perc", model)).isBetween(0.0, 1.0);

        for (String histogram : List.of("vllm_time_to_first_token_seconds", "vllm_e2e_request_latency_seconds",
                "vllm_request_queue_time_seconds", "vllm_request_prefill_time_seconds",
                "vllm_request_decode_time_seconds")) {
            histogram(scrape, histogram, model, 6);
        }
        assertThat(scrape.value("vllm_request_queue_time_seconds_sum", model)
                + scrape.value("vllm_request_prefill_time_seconds_sum", model))
                .as("queue and prefill split the time to first token")
                .isCloseTo(scrape.value("vllm_time_to_first_token_seconds_sum", model), within(1e-6));
        // One gap per token after each request's first; a stop token is counted in usage but sent without an event.
        double gaps = scrape.value("vllm_inter_token_latency_seconds_count", model);
        assertThat(gaps).isBetween(generated - 6 - 1, generated - 6);
        histogram(scrape, "vllm_inter_token_latency_seconds", model, gaps);
        assertThat(scrape.value("vllm_request_prompt_tokens_sum", model)).isEqualTo(prompt);
        assertThat(scrape.value("vllm_request_generation_tokens_sum", model)).isEqualTo(generated);
        assertThat(scrape.value("vllm_request_generation_tokens_bucket", with(model, "le", "5.0")))
                .as("only the TGI request generated 5 or fewer").isEqualTo(1);

        String[] chat = {"gen_ai_operation_name", "chat", "gen_ai_provider_name", "hanul",
                "gen_ai_request_model", MODEL, "gen_ai_response_model", VERSION};
        String[] completion = with(chat, "gen_ai_operation_name", "text_completion");
        assertThat(scrape.value("gen_ai_client_token_usage_count", with(chat, "gen_ai_token_type", "input")))
                .isEqualTo(3);
        assertThat(scrape.value("gen_ai_client_token_usage_sum", with(chat, "gen_ai_token_type", "output")))
                .isEqualTo(24);
        assertThat(scrape.value("gen_ai_client_token_usage_count", with(completion, "gen_ai_token_type", "output")))
                .isEqualTo(3);
        assertThat(scrape.find("gen_ai_client_token_usage_bucket", with(chat, "gen_ai_token_type", "input")))
                .extracting(s -> s.labels().get("le"))
                .as("OpenTelemetry's recommended boundaries").contains("1.0", "4.0", "16.0", "1024.0", "6.7108864E7");
        for (String histogram : List.of("gen_ai_client_operation_duration_seconds",
                "gen_ai_server_request_duration_seconds", "gen_ai_server_time_to_first_token_seconds")) {
            histogram(scrape, histogram, chat, 3);
            histogram(scrape, histogram, completion, 3);
        }
        histogram(scrape, "gen_ai_server_time_per_output_token_seconds", chat, 3);
        assertThat(scrape.find("gen_ai_server_time_to_first_token_seconds_bucket", chat))
                .extracting(s -> s.labels().get("le")).contains("0.001", "0.005", "0.25", "10.0");
    }

    /** A histogram with {@code count} observations, a positive sum, and buckets that never decrease. */
    static void histogram(PrometheusScrape scrape, String name, String[] labels, double count) {
        assertThat(scrape.value(name + "_count", labels)).as(name + " count").isEqualTo(count);
        assertThat(scrape.value(name + "_sum", labels)).as(name + " sum").isPositive().isLessThan(60 * count);
        List<Double> buckets = scrape.find(name + "_bucket", labels).stream()
                .sorted(java.util.Comparator.comparingDouble(s -> le(s.labels().get("le"))))
                .map(PrometheusScrape.Sample::value).toList();
        assertThat(buckets).as(name + " buckets").isSorted().last().isEqualTo(count);
    }

    static double le(String bound) {
        return bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
    }

    static String[] with(String[] labels, String... more) {
        var all = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < labels.length; i += 2) {
            all.put(labels[i], labels[i + 1]);
        }
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }

    void post(String path, String body) {
        http.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
    }
}
