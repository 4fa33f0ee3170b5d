package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hanul.engine.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench qa} end to end on stories260K (milliseconds a question): every variant and passage count gets a row,
 * every question an answer with its scores, and the scores are those {@link QaScore} gives the answer.
 */
class QaBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void scoresEveryQuestionForEveryVariantAndPassageCount() throws Exception {
        Optional<Path> model = TestModels.find(TestModels.STORIES);
        assumeTrue(model.isPresent(), () -> TestModels.notFound(TestModels.STORIES));
        List<String> set = Files.readAllLines(Path.of("docs/qa/qa-set.jsonl")).subList(0, 6);
        Files.write(dir.resolve("set.jsonl"), set);
        StringWriter out = new StringWriter();
        int status = HanulCommand.commandLine().setOut(new PrintWriter(out, true)).execute("bench", "qa",
                "--model", model.get().toString(), "--threads", "1", "--set", dir.resolve("set.jsonl").toString(),
                "--prompts", "rag-default-v2,short-cited", "--distractors", "0,2", "--max-tokens", "8",
                "--answers", dir.resolve("answers.jsonl").toString());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("(6 questions)")
                .containsPattern("\\| rag-default-v2 \\| gold only \\| [0-9.]+ \\|")
                .containsPattern("\\| short-cited \\| gold \\+ 2 \\|");
        List<String> answers = Files.readAllLines(dir.resolve("answers.jsonl"));
        assertThat(answers).hasSize(6 * 2 * 2);
        var json = JsonMapper.builder().build();
        for (String line : answers) {
            var answer = json.readTree(line);
            List<String> gold = json.convertValue(answer.get("gold"), List.class);
            QaScore score = QaScore.of(answer.get("answer").asString(), gold);
            assertThat(answer.get("em").asDouble()).isEqualTo(score.exactMatch());
            assertThat(answer.get("contains").asDouble()).isEqualTo(score.contains());
        }
    }
}
