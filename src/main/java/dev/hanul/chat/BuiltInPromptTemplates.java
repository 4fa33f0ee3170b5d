package dev.hanul.chat;

import dev.hanul.inference.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The templates shipped in the jar as {@code prompts/<name>/v<version>.jinja} (the user's turn), each with an
 * optional {@code v<version>.system.jinja} beside it (a system message), read once at startup. Versions are immutable
 * once released: a changed prompt is a new file, so a client that pinned a version keeps its answers.
 */
@Component
class BuiltInPromptTemplates implements PromptTemplates {

    private static final String SYSTEM_SUFFIX = ".system.jinja";
    private static final Pattern FILE = Pattern.compile(".*/prompts/([a-z0-9][a-z0-9-]*)/v([0-9]+)\\.jinja");

    private final Map<String, NavigableMap<Integer, PromptTemplate>> templates = new TreeMap<>();

    BuiltInPromptTemplates() throws IOException {
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:prompts/*/v*.jinja")) {
            if (resource.getFilename() != null && resource.getFilename().endsWith(SYSTEM_SUFFIX)) {
                continue; // read with its template
            }
            Matcher matcher = FILE.matcher(resource.getURL().toString());
            if (!matcher.matches()) {
                throw new IllegalStateException("Prompt template " + resource + " is not named "
                        + "prompts/<name>/v<version>.jinja");
            }
            Resource system = resource.createRelative("v" + matcher.group(2) + SYSTEM_SUFFIX);
            PromptTemplate template = new PromptTemplate(matcher.group(1), Integer.parseInt(matcher.group(2)),
                    read(resource), system.exists() ? read(system) : null);
            templates.computeIfAbsent(template.name(), name -> new TreeMap<>()).put(template.version(), template);
        }
        if (!templates.containsKey(DEFAULT_NAME)) {
            throw new IllegalStateException("The built-in prompt template " + DEFAULT_NAME + " is missing from "
                    + "the class path (prompts/" + DEFAULT_NAME + "/v<version>.jinja)");
        }
    }

    @Override
    public PromptTemplate find(String name, Integer version) {
        NavigableMap<Integer, PromptTemplate> versions = templates.get(name);
        if (versions == null) {
            throw new NotFound(Parameter.TEMPLATE_NAME, "'" + name + "' is not a known prompt template; use one of "
                    + templates.keySet() + ".");
        }
        if (version == null) {
            return versions.lastEntry().getValue();
        }
        PromptTemplate template = versions.get(version);
        if (template == null) {
            throw new NotFound(Parameter.TEMPLATE_VERSION, version + " of '" + name + "' does not exist; its versions "
                    + "are " + versions.keySet() + " (leave version out for the latest).");
        }
        return template;
    }

    private static String read(Resource resource) {
        try (var in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read prompt template " + resource, e);
        }
    }
}
