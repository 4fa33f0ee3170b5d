package dev.hanul.remote;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Connects the registry's remote versions to their servers, with the settings under {@code hanul.remote.models}. */
@Component
@EnableConfigurationProperties(RemoteProperties.class)
public class RemoteServers {

    private final RemoteProperties properties;
    private final JsonMapper json;

    RemoteServers(RemoteProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    public RemoteProperties properties() {
        return properties;
    }

    /**
     * @param versionId the registry's version ({@code name@n})
     * @param name      the model's name, which names its settings
     * @throws IllegalStateException with the reason, when the settings are gone or the server cannot serve it
     */
    public RemoteServer connect(String versionId, String name) {
        RemoteProperties.Server settings = properties.models().get(name);
        if (settings == null) {
            throw new IllegalStateException(("%s is a remote model, but hanul.remote.models.%s is no longer "
                    + "configured; configure it again or point its aliases elsewhere").formatted(versionId, name));
        }
        try {
            return RemoteServer.connect(versionId, settings, json);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("hanul.remote.models.%s: %s".formatted(name, e.getMessage()), e);
        }
    }
}
