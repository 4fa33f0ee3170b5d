package dev.hanul.engine.sampling.json;

import static dev.hanul.engine.sampling.json.AutomatonAssertions.accepts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brics.automaton.Automaton;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The regex automata against java.util.regex's full matches of the same patterns, on the same texts. */
class RegexCompilerTest {

    private static final List<String> TEXTS = List.of("", "a", "ab", "abc", "aaa", "abab", "A", "Z9", "_", "0", "7",
            "42", "007", "-3", "3.14", "1e5", " ", "\t", "\n", "a b", "foo@bar.com", "x@y", "2026-12-03", "12:30",
            "yes", "no", "maybe", "서울", "서울시", "東京", "é", "ß", "😀", "a😀b", "[x]", "a.b", "a|b", "(a)", "{1}",
            "aaaaaaaaaa", "abcabcabc", "(555) 123-4567", "555-1234", "#ff00aa", "#FFF", "\\", "\"", "가나다");

    @ParameterizedTest
    @ValueSource(strings = {"a", "ab|cd", "a*", "a+b?", "(ab)+", "(?:ab){2,3}", "a{3}", "a{2,}", "[abc]+", "[^abc]*",
            "[a-z0-9_]+", "\\d+", "\\D", "\\w+", "\\W", "\\s", "\\S+", "-?\\d+(\\.\\d+)?([eE]\\d+)?", ".", ".*", ".+b",
            "[가-힣]+", "[^가-힣]+", "서울(시)?", "\\x41|\\u00e9", "[\\d.]+", "(?P<year>\\d{4})-(?<m>\\d{2})-\\d{2}",
            "\\(\\d{3}\\) \\d{3}-\\d{4}|\\d{3}-\\d{4}", "#([0-9a-fA-F]{3}){1,2}", "yes|no", "[\\w.]+@\\w+\\.\\w+",
            "^abc$", "a*?b", "[\\-+]?\\d", "[.]", "\\.", "a|", "()", "[]a]", "\\\\|\"", "\\p"})
    void acceptsExactlyWhatJavaRegexMatches(String regex) {
        if (regex.equals("\\p")) {
            assertThatThrownBy(() -> RegexCompiler.compile(regex)).hasMessageContaining("\\p is not supported");
            return;
        }
        Automaton automaton = RegexCompiler.compile(regex);
        Pattern reference = Pattern.compile(regex.replace("(?P<", "(?<"));
        for (String text : TEXTS) {
            assertThat(accepts(automaton, text)).as("%s on %s", regex, text)
                    .isEqualTo(reference.matcher(text).matches());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?=a)b", "a\\1", "a^b", "\\bword", "(ab", "a)", "*a", "a{5,2}"})
    void whatHasNoAutomatonIsRefusedByName(String regex) {
        assertThatThrownBy(() -> RegexCompiler.compile(regex)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regex \"" + regex + "\"");
    }
}
