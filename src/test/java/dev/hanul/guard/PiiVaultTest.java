package dev.hanul.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.monitoring.PiiFinder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reversible placeholders: redacted for the model and the logs, restored for the user who wrote them. */
class PiiVaultTest {

    final PiiVault vault = new PiiVault(new PiiFinder());

    @Test
    void theSameValueGetsTheSamePlaceholderAndComesBack() {
        String text = "Mail jane@example.com or call 010-2345-6789; again: jane@example.com. "
                + "RRN 900101-1234568, card 4111 1111 1111 1111, 서울특별시 강남구 테헤란로 152.";
        String redacted = vault.redact(text);
        assertThat(redacted).isEqualTo("Mail [EMAIL_1] or call [PHONE_1]; again: [EMAIL_1]. "
                + "RRN [RRN_1], card [CARD_1], [ADDRESS_1].");
        assertThat(vault.restore(redacted)).isEqualTo(text);
        // A placeholder this vault did not make, such as another user's, stays a placeholder.
        assertThat(vault.restore("[EMAIL_2] and [EMAIL_1]")).isEqualTo("[EMAIL_2] and jane@example.com");
        assertThat(new PiiVault(new PiiFinder()).restore("[EMAIL_1]")).isEqualTo("[EMAIL_1]");
    }

    @Test
    void aPlaceholderSplitAcrossTokensIsRestoredWhole() {
        vault.redact("write to jane@example.com and call 010-2345-6789");
        var stream = new PlaceholderStream(vault);
        var out = new StringBuilder();
        for (String token : List.of("Sure, [", "EM", "AIL", "_1", "] is", " yours; [PH", "ONE_1]", " and [note] ", "[",
                "EMAIL_")) {
            out.append(stream.accept(token));
        }
        out.append(stream.flush());
        assertThat(out).hasToString("Sure, jane@example.com is yours; 010-2345-6789 and [note] [EMAIL_");
    }
}
