package dev.hanul.tgi;

import dev.hanul.engine.TestModels;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service serving SmolLM2-135M-Instruct, a real chat model, for tests where the content of an answer matters or a
 * generation must run long. The test classes share this one context (same settings), so the model loads once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/tgi-smollm2", "hanul.model.kv-cache=128MB"})
@AutoConfigureWebTestClient(timeout = "PT120S")
abstract class SmolLm2Service {

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("hanul.model.path", () -> TestModels.require(TestModels.SMOLLM2).toString());
    }

    @BeforeEach
    void modelLoaded() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get().uri("/actuator/health/readiness")
                .exchange().returnResult(String.class).getStatus().is2xxSuccessful());
    }

    static String chatPrompt(String question) {
        return "<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n";
    }
}
