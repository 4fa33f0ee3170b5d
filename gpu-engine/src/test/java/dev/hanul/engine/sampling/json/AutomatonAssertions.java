package dev.hanul.engine.sampling.json;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RunAutomaton;

/** Runs a byte-level automaton on the UTF-8 bytes of a text. */
final class AutomatonAssertions {

    private AutomatonAssertions() {
    }

    static boolean accepts(Automaton automaton, String text) {
        return new RunAutomaton(automaton).run(Utf8Automata.byteString(text));
    }
}
