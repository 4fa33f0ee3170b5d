package dev.hanul.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Personal data in its usual written forms is replaced; look-alikes (dates, order numbers, versions) are not. */
class PiiRedactorTest {

    private final PiiRedactor redactor = new PiiRedactor(EnumSet.allOf(PiiType.class));

    @Test
    void redactsEmailsPhonesCardsAndResidentNumbers() {
        PiiRedactor.Redaction redaction = redactor.redact("""
                Mail kim.minsu@example.co.kr or +82 10-1234-5678, office 02-123-4567, US (415) 555-0100.
                Card 4111 1111 1111 1111 and 5500-0000-0000-0004. 주민등록번호 900101-1234567.""");
        assertThat(redaction.text()).isEqualTo("""
                Mail [EMAIL] or [PHONE], office [PHONE], US [PHONE].
                Card [CARD] and [CARD]. 주민등록번호 [RRN].""");
        assertThat(redaction.counts()).isEqualTo(Map.of(PiiType.EMAIL, 1, PiiType.PHONE, 3, PiiType.CARD, 2,
                PiiType.RRN, 1));
    }

    @Test
    void leavesLookAlikesAlone() {
        String text = "Order 4111 1111 1111 1112 shipped 2024-01-15, version 1.2.3, invoice 991332-9876543, "
                + "total 1,234,567 won.";
        assertThat(redactor.redact(text).text()).isEqualTo(text);
    }

    @Test
    void redactsOnlyTheConfiguredKinds() {
        PiiRedactor emailsOnly = new PiiRedactor(Set.of(PiiType.EMAIL));
        assertThat(emailsOnly.redact("a@b.io 010-1234-5678").text()).isEqualTo("[EMAIL] 010-1234-5678");
        assertThat(new PiiRedactor(Set.of()).redact("a@b.io").total()).isZero();
    }

    @Test
    void luhnCheck() {
        assertThat(PiiRedactor.passesLuhn("4111111111111111")).isTrue();
        assertThat(PiiRedactor.passesLuhn("4111111111111112")).isFalse();
        assertThat(PiiRedactor.passesLuhn("3782-822463-10005")).isTrue();
    }
}
