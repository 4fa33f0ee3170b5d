package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The extractive heuristic: a number (with its unit) first, else the longest name after the first word. */
class ClozeQuestionsTest {

    @Test
    void numbersAndNamesBecomeBlanksWhoseAnswerIsTheSpan() {
        assertThat(ClozeQuestions.of("The tower in Paris is 330 metres tall today. Marie Curie was born in the city "
                + "of Warsaw in Poland. It was nice. Short one here."))
                .containsExactly(
                        new ClozeQuestions.Cloze("What fills the blank in \"The tower in Paris is _____ tall today.\"?",
                                "330 metres"),
                        new ClozeQuestions.Cloze("What fills the blank in \"Marie Curie was born in the city of "
                                + "_____ in Poland.\"?", "Warsaw"));
    }
}
