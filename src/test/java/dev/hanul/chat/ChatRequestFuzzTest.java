package dev.hanul.chat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hanul.api.Tenants;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.Parameter;
import dev.hanul.prompts.BuiltInPrompts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST /api/chat} as a client can send it: any bytes, bound as the controller binds them and
 * checked by the same checker. Each input either passes or is refused with one of the failures the error handler
 * turns into a 400 that names the field (malformed JSON, an invalid tenant, a rejected parameter). Any other
 * exception would be a 500: a finding. Seeds and findings: src/test/resources/dev/hanul/chat/ChatRequestFuzzTestInputs.
 */
class ChatRequestFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RagRequestChecker CHECKER = checker();

    @FuzzTest(maxDuration = "5s")
    void checkedOrRefusedWithA400(byte[] body) {
        try {
            ChatRequest request = JSON.readValue(new String(body, StandardCharsets.UTF_8), ChatRequest.class);
            if (request == null) {
                return; // the literal null: Spring answers 400 for a missing body
            }
            CHECKER.check(request.toRagRequest(Tenants.resolve(null, request.tenant())));
        } catch (JacksonException | ResponseStatusException | InferenceFailure.Rejected refused) {
            // A 400 that says what is wrong.
        }
    }

    /** The checker with the shipped templates, looked up as the registry looks them up before anyone moves a label. */
    private static RagRequestChecker checker() {
        List<PromptTemplate> builtIns = BuiltInPrompts.load();
        PromptTemplates templates = (name, version, routingKey) -> builtIns.stream()
                .filter(t -> t.name().equals(name) && (version == null || t.version() == version))
                .reduce((a, b) -> a.version() >= b.version() ? a : b)
                .orElseThrow(() -> new PromptTemplates.NotFound(version == null ? Parameter.TEMPLATE_NAME
                        : Parameter.TEMPLATE_VERSION, "'" + name + "' has no such template or version."));
        return new RagRequestChecker(new ChatProperties(5, 0, 512, 1024, Duration.ofSeconds(10)), templates);
    }
}
