package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A training file refused because of some of its lines: the 400's body is OpenAI's error object with every line's
 * problem in {@code message} and, for programs, in {@code lines} ({@code [{"line": 3, "reason": "..."}]}). Nothing
 * was stored.
 */
final class DatasetRefused extends RuntimeException {

    private static final int MAX_IN_MESSAGE = 20;

    private final String param;
    private final List<LineProblem> problems;

    DatasetRefused(String what, String param, List<LineProblem> problems) {
        super(message(what, problems), null, false, false);
        this.param = param;
        this.problems = List.copyOf(problems);
    }

    List<LineProblem> problems() {
        return problems;
    }

    record Body(Error error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String message, String type, String param, String code, List<LineProblem> lines) {
    }

    ResponseEntity<Object> response() {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new Body(new Error(getMessage(),
                "invalid_request_error", param, "invalid_training_file", problems)));
    }

    private static String message(String what, List<LineProblem> problems) {
        var message = new StringBuilder(what).append(" has ").append(problems.size())
                .append(problems.size() == 1 ? " line" : " lines").append(" that cannot be trained on; nothing was "
                        + "stored. Fix them and send the file again: ");
        for (int i = 0; i < Math.min(MAX_IN_MESSAGE, problems.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(problems.get(i));
        }
        if (problems.size() > MAX_IN_MESSAGE) {
            message.append("; and ").append(problems.size() - MAX_IN_MESSAGE).append(" more (see 'lines')");
        }
        return message.append('.').toString();
    }
}
