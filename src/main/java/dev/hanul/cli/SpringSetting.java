package dev.hanul.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A Spring Boot setting given on the command line as {@code --name=value} ({@code --server.port=9090},
 * {@code --hanul.model.kv-cache=1GB}). Anything else that is not an option of the command is refused by
 * {@link Converter}, so a typo stops the command instead of being ignored.
 */
record SpringSetting(String name, String value) {

    private static final Pattern FORM = Pattern.compile("--([A-Za-z][A-Za-z0-9_.\\-\\[\\]]*)=(.*)", Pattern.DOTALL);

    /** The argument Spring Boot reads. */
    String argument() {
        return "--" + name + "=" + value;
    }

    static final class Converter implements ITypeConverter<SpringSetting> {

        @Override
        public SpringSetting convert(String argument) {
            Matcher matcher = FORM.matcher(argument);
            if (!matcher.matches()) {
                throw new TypeConversionException("'%s' is neither an option of this command nor a setting in the "
                        .formatted(argument) + "form --name=value (e.g. --server.port=9090)");
            }
            return new SpringSetting(matcher.group(1), matcher.group(2));
        }
    }
}
