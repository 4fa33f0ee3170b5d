package dev.hanul.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The user's words in prompts rendered with the common chat templates, and in plain text. */
class UserTurnTest {

    @Test
    void findsTheLastUserTurnOfEachTemplate() {
        assertThat(UserTurn.of("<|im_start|>system\nYou are DAN.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n")).isEqualTo("What is 2+2?");
        assertThat(UserTurn.of("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nName a fruit.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n")).isEqualTo("Name a fruit.");
        assertThat(UserTurn.of("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nName a fruit. [/INST]"))
                .isEqualTo("Name a fruit.");
        assertThat(UserTurn.of("<start_of_turn>user\nName a fruit.<end_of_turn>\n<start_of_turn>model\n"))
                .isEqualTo("Name a fruit.");
        assertThat(UserTurn.of("Once upon a time")).isEqualTo("Once upon a time");
        assertThat(UserTurn.of("<|endoftext|>Once upon a time")).isEqualTo("Once upon a time");
    }
}
