package dev.hanul.engine.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.IsIterableExpTest;

/**
 * Jinja2's {@code is iterable}, which is true for strings too (Python can iterate a string): templates such as
 * Llama 3.1's write a tool result with {@code tojson} when its content "is iterable", so a text result is written as
 * a JSON string, as transformers renders it. Jinjava's own test says false for strings.
 */
final class PythonIterableTest extends IsIterableExpTest {

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
        return var instanceof CharSequence || super.evaluate(var, interpreter, args);
    }
}
