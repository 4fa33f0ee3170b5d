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
 * {@code bench qa} end to end on SmolLM2 (a few answers of 8 tokens): every variant and passage count gets a row,
 * every question an answer with its scores, and the scores are those {@link QaScore} gives the answer.
 */
class QaBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void scoresEveryQuestionForEveryVariantAndPassageCount() throws Exception {
        Optional<Path> model = TestModels.find(TestModels.SMOLLM2);
        assumeTrue(model.isPresent(), () -> TestModels.notFound(TestModels.SMOLLM2));
        List<String> set = Files.readAllLines(Path.of("docs/qa/qa-set.jsonl")).subList(0, 2);
        Files.write(dir.resolve("set.jsonl"), set);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = HanulCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("bench", "qa",
                "--model", model.get().toString(), "--threads", "2", "--set", dir.resolve("set.jsonl").toString(),
                "--prompts", "rag-default-v2,short-cited", "--distractors", "0,1", "--max-tokens", "8",
                "--answers", dir.resolve("answers.jsonl").toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("(2 questions)")
                .containsPattern("\\| rag-default-v2 \\| gold only \\| [0-9.]+ \\|")
                .containsPattern("\\| short-cited \\| gold \\+ 1 \\|");
        List<String> answers = Files.readAllLines(dir.resolve("answers.jsonl"));
        assertThat(answers).hasSize(2 * 2 * 2);
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
