package dev.hanul.prompts;

import dev.hanul.chat.PromptTemplate;
import dev.hanul.chat.PromptTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The templates shipped in the jar as {@code prompts/<name>/v<version>.jinja} (the user's turn), each with an
 * optional {@code v<version>.system.jinja} beside it (a system message). The registry seeds them as versions 1..n
 * of their names; once seeded, a version is as immutable as any other.
 */
public final class BuiltInPrompts {

    private static final String SYSTEM_SUFFIX = ".system.jinja";
    private static final Pattern FILE = Pattern.compile(".*/prompts/([a-z0-9][a-z0-9-]*)/v([0-9]+)\\.jinja");

    private BuiltInPrompts() {
    }

    /** Every built-in template, by name and version. */
    public static List<PromptTemplate> load() {
        List<PromptTemplate> templates = new ArrayList<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:prompts/*/v*.jinja")) {
                if (resource.getFilename() != null && resource.getFilename().endsWith(SYSTEM_SUFFIX)) {
                    continue; // read with its template
                }
                Matcher matcher = FILE.matcher(resource.getURL().toString());
                if (!matcher.matches()) {
                    throw new IllegalStateException("Prompt template " + resource + " is not named "
                            + "prompts/<name>/v<version>.jinja");
                }
                Resource system = resource.createRelative("v" + matcher.group(2) + SYSTEM_SUFFIX);
                templates.add(new PromptTemplate(matcher.group(1), Integer.parseInt(matcher.group(2)),
                        read(resource), system.exists() ? read(system) : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the built-in prompt templates", e);
        }
        if (templates.stream().noneMatch(t -> t.name().equals(PromptTemplates.DEFAULT_NAME))) {
            throw new IllegalStateException("The built-in prompt template " + PromptTemplates.DEFAULT_NAME
                    + " is missing from the class path (prompts/" + PromptTemplates.DEFAULT_NAME
                    + "/v<version>.jinja)");
        }
        templates.sort(Comparator.comparing(PromptTemplate::name).thenComparing(PromptTemplate::version));
        return templates;
    }

    private static String read(Resource resource) {
        try (var in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read prompt template " + resource, e);
        }
    }
}
