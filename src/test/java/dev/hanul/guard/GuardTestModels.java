package dev.hanul.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the tests find the guardrails' models: jailguard's MLP in models/offline/jailguard and the toxicity BiLSTM
 * exported to JSON (models/offline/toxic-bilstm.json, or models/toxic-bilstm.json), as .ci/run prepares them. Tests
 * that need one skip with this message when it is absent.
 */
final class GuardTestModels {

    static final String MISSING = "needs %s: run ../shared/offline-models/fetch-offline-models.sh models/offline and "
            + "export_toxic_bilstm.py (see README, Guardrails), as .ci/run does";

    private GuardTestModels() {
    }

    static Path jailguard() {
        Path dir = Path.of("models/offline/jailguard");
        return Files.isRegularFile(dir.resolve(JailguardMlp.FILE)) ? dir : null;
    }

    static Path toxicity() {
        return Stream.of("models/offline/toxic-bilstm.json", "models/toxic-bilstm.json").map(Path::of)
                .filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
