package dev.hanul.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings, under {@code hanul.} (environment: {@code HANUL_...}).
 *
 * @param dataDir where the service keeps everything it writes (index, database, uploads); relative paths resolve
 *                against the working directory
 */
@ConfigurationProperties("hanul")
public record HanulProperties(@DefaultValue("data") Path dataDir) {
}
