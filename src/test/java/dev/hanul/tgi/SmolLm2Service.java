package dev.hanul.tgi;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelInstance;
import dev.hanul.registry.ModelRegistry;
import dev.hanul.inference.ServedTestModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service serving SmolLM2-135M-Instruct, a real chat model, for tests where the content of an answer matters or a
 * generation must run long. The test classes share this one context (same settings), so the model loads once.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/tgi-smollm2", "hanul.model.kv-cache=128MB"})
@AutoConfigureWebTestClient(timeout = "PT120S")
abstract class SmolLm2Service {

    @Autowired
    WebTestClient http;

    /** The engine behind the service, for tests that check what a request left behind. */
    @Autowired
    ModelRegistry registry;

    /** The version the default alias serves. */
    ModelInstance served() {
        return registry.route(null, null).primary();
    }

    static String chatPrompt(String question) {
        return "<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n";
    }
}
