package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SQuAD's scores on answers worked out by hand with the official v1.1 script's rules. */
class QaScoreTest {

    @Test
    void exactMatchIgnoresCaseArticlesAndPunctuation() {
        assertThat(QaScore.of("The Denver Broncos.", List.of("Denver Broncos")).exactMatch()).isEqualTo(1);
        assertThat(QaScore.of("Denver", List.of("Denver Broncos")).exactMatch()).isZero();
    }

    @Test
    void f1IsTheBestWordOverlapOverTheGoldAnswers() {
        // "broncos won" vs "denver broncos": 1 common word, precision 1/2, recall 1/2.
        assertThat(QaScore.of("Broncos won", List.of("Denver Broncos", "Carolina")).f1()).isCloseTo(0.5,
                within(1e-9));
        assertThat(QaScore.of("Carolina", List.of("Denver Broncos", "Carolina")).f1()).isEqualTo(1);
    }

    @Test
    void containsWantsTheGoldWordsTogetherAndInOrder() {
        assertThat(QaScore.of("It was Sun Microsystems, in 1995.", List.of("Sun Microsystems")).contains())
                .isEqualTo(1);
        assertThat(QaScore.of("Sunday", List.of("Sun")).contains()).isZero();
        assertThat(QaScore.of("Microsystems of Sun", List.of("Sun Microsystems")).contains()).isZero();
    }

    @Test
    void citationMarkersDoNotCostAnything() {
        QaScore cited = QaScore.of("Warsaw [1]", List.of("Warsaw"));
        assertThat(cited.exactMatch()).isEqualTo(1);
        assertThat(QaScore.of("Nepal and China [1, 3]", List.of("Nepal and China")).exactMatch()).isEqualTo(1);
    }

    @Test
    void anEmptyAnswerScoresNothing() {
        assertThat(QaScore.of("", List.of("Warsaw"))).isEqualTo(new QaScore(0, 0, 0));
    }
}
