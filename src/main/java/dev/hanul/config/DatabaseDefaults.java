package dev.hanul.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the metadata database at an H2 file under {@code hanul.data-dir} unless {@code spring.r2dbc.url} says
 * otherwise, and gives Flyway (which migrates over JDBC) the same database: by default a PostgreSQL setup needs only
 * the three {@code spring.r2dbc.*} settings. The defaults go last, so any explicit setting wins.
 */
public class DatabaseDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "hanulDatabaseDefaults";
    private static final String H2_OPTIONS = ";WRITE_DELAY=0";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        String r2dbcUrl = environment.getProperty("spring.r2dbc.url");
        if (r2dbcUrl == null || r2dbcUrl.isBlank()) {
            Path file = Path.of(environment.getProperty("hanul.data-dir", "data")).toAbsolutePath().normalize()
                    .resolve("db").resolve("hanul");
            // r2dbc-h2 drops one slash of the path, so an absolute path needs "file:///" plus its own leading "/".
            // WRITE_DELAY=0: H2 otherwise writes commits up to 500 ms later, and a killed process would lose rows
            // that the API had already reported (a document "indexed").
            defaults.put("spring.r2dbc.url", "r2dbc:h2:file:///" + file + H2_OPTIONS);
            defaults.put("spring.r2dbc.username", "sa");
            defaults.put("spring.flyway.url", "jdbc:h2:file:" + file + H2_OPTIONS);
            defaults.put("spring.flyway.user", "sa");
        } else if (environment.getProperty("spring.flyway.url") == null) {
            String jdbcUrl = jdbcUrl(r2dbcUrl);
            if (jdbcUrl != null) {
                defaults.put("spring.flyway.url", jdbcUrl);
                defaults.put("spring.flyway.user", environment.getProperty("spring.r2dbc.username", ""));
                defaults.put("spring.flyway.password", environment.getProperty("spring.r2dbc.password", ""));
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    /** The JDBC URL of the same PostgreSQL database, or null for a URL this does not know how to translate. */
    static String jdbcUrl(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbc:pool:", "r2dbc:");
        return url.startsWith("r2dbc:postgresql://") ? "jdbc:" + url.substring("r2dbc:".length()) : null;
    }
}
