package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroundednessTest {

    private static final List<String> SOURCES = List.of(
            "The cafeteria serves bibimbap on Wednesdays and noodles on Fridays.",
            "Parking permits are renewed every March at the front desk.");

    @Test
    void countsTheSentencesWhoseWordsMostlyOccurInTheSources() {
        assertThat(Groundedness.share("The cafeteria serves bibimbap on Wednesdays.", SOURCES)).isEqualTo(1.0);
        assertThat(Groundedness.share("Bibimbap on Wednesdays! The moon is made of green cheese.", SOURCES))
                .isEqualTo(0.5);
        assertThat(Groundedness.share("Permits? Renewed in March.\nAstronauts eat freeze-dried ice cream.", SOURCES))
                .isCloseTo(2.0 / 3, offset(1e-12));
    }

    @Test
    void normalizesAsSquadDoesAndSkipsShortWords() {
        // case and punctuation do not matter; "the", "on" and "a" are not judged
        assertThat(Groundedness.share("CAFETERIA, serves: BIBIMBAP!!", SOURCES)).isEqualTo(1.0);
        assertThat(Groundedness.share("a an on of", SOURCES)).isNull();
        assertThat(Groundedness.share("", SOURCES)).isNull();
    }
}
