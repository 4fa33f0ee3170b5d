package dev.hanul.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.monitoring.PiiFinder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputRedactorTest {

    private static final String ANSWER = "Sure. Write to kim.minji@example.com or call 010-1234-5678 before Friday; "
            + "the refund goes to card 4111 1111 1111 1111, and nothing else is needed from you at this point. "
            + "Thanks for waiting so patiently while we checked.";

    @Test
    void valuesSplitAcrossPiecesAreRedactedWhateverTheSplit() {
        String whole = redactInOne(ANSWER);
        assertThat(whole).contains("Write to [EMAIL] or call [PHONE] before Friday", "card [CARD],")
                .doesNotContain("example.com", "5678", "1111");
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            var redactor = new OutputRedactor(new PiiFinder());
            var streamed = new StringBuilder();
            for (int at = 0; at < ANSWER.length(); ) {
                int end = Math.min(ANSWER.length(), at + 1 + random.nextInt(6));
                String released = redactor.accept(ANSWER.substring(at, end));
                assertThat(released).doesNotContain("example.com", "1234-5678", "1111 1111");
                streamed.append(released);
                at = end;
            }
            streamed.append(redactor.flush());
            assertThat(streamed.toString()).isEqualTo(whole);
            assertThat(redactor.redacted()).isEqualTo(3);
            assertThat(redactor.kinds()).isEqualTo("CARD,EMAIL,PHONE");
        }
    }

    @Test
    void textWithoutPersonalDataComesThroughUnchangedAndAtMostTheLookaheadBehind() {
        String text = "The cafeteria serves bibimbap on Wednesdays and noodles on Fridays, "
                + "placeholders like [EMAIL_1] stay for the restorer.";
        var redactor = new OutputRedactor(new PiiFinder());
        var streamed = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            streamed.append(redactor.accept(text.substring(i, i + 1)));
            assertThat(i + 1 - streamed.length()).isLessThanOrEqualTo(OutputRedactor.LOOKAHEAD);
        }
        assertThat(streamed.append(redactor.flush()).toString()).isEqualTo(text);
        assertThat(redactor.redacted()).isZero();
    }

    @Test
    void proseStreamsAWordAtATimeAndOnlyNumbersAreHeldBack() {
        var redactor = new OutputRedactor(new PiiFinder());
        assertThat(redactor.accept("The cafeteria ser")).isEqualTo("The cafeteria ");
        assertThat(redactor.accept("ves bibimbap, call 010-")).isEqualTo("serves bibimbap, call ");
        assertThat(redactor.accept("1234-5678 or ")).isEmpty();
        assertThat(redactor.accept("write. " + "x ".repeat(40))).startsWith("[PHONE] or write. x");
        assertThat(redactor.flush()).as("all of it was settled").isEmpty();
    }

    @Test
    void aKoreanAddressIsCaughtWholeThoughItBeginsWithWords() {
        String answer = "주소는 서울특별시 강남구 테헤란로 123 입니다. 감사합니다, 좋은 하루 되세요 그리고 또 뵙겠습니다.";
        var redactor = new OutputRedactor(new PiiFinder());
        var streamed = new StringBuilder();
        for (int i = 0; i < answer.length(); i++) {
            String released = redactor.accept(answer.substring(i, i + 1));
            assertThat(released).doesNotContain("서울특별시", "테헤란로");
            streamed.append(released);
        }
        assertThat(streamed.append(redactor.flush()).toString()).startsWith("주소는 [ADDRESS] 입니다.");
    }

    private static String redactInOne(String text) {
        var redactor = new OutputRedactor(new PiiFinder());
        return redactor.accept(text) + redactor.flush();
    }
}
