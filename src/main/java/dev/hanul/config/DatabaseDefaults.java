package dev.hanul.config;

import java.nio.file.Path;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Points the metadata database at an H2 file under {@code hanul.data-dir} unless {@code spring.r2dbc.url} says
 * otherwise, and gives Flyway (which migrates over JDBC) the same database, so a PostgreSQL setup needs only the
 * three {@code spring.r2dbc.*} settings. The defaults come last and are worked out when asked for, so every
 * explicit setting wins, including ones added after startup began (test property sources).
 */
public class DatabaseDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new Defaults(environment));
    }

    /** The JDBC URL of the same PostgreSQL database, or null for a URL this does not know how to translate. */
    static String jdbcUrl(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbc:pool:", "r2dbc:");
        return url.startsWith("r2dbc:postgresql://") ? "jdbc:" + url.substring("r2dbc:".length()) : null;
    }

    /**
     * The environment is a field, not the property source's {@code source}: Spring Boot flattens a source whose
     * source is an environment into that environment's sources, and this one would contain itself forever.
     */
    private static final class Defaults extends PropertySource<Object> {

        private static final String R2DBC_URL = "spring.r2dbc.url";
        private static final Set<String> KEYS = Set.of(R2DBC_URL, "spring.r2dbc.username", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password");
        /**
         * WRITE_DELAY=0: H2 otherwise writes commits up to 500 ms later, and a killed process would lose rows that
         * the API had already reported (a document "indexed").
         */
        private static final String H2_OPTIONS = ";WRITE_DELAY=0";

        /** Set while a default is worked out, so that looking up the explicit settings does not come back here. */
        private final ThreadLocal<Boolean> resolving = ThreadLocal.withInitial(() -> false);

        private final ConfigurableEnvironment environment;

        Defaults(ConfigurableEnvironment environment) {
            super("hanulDatabaseDefaults");
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (!KEYS.contains(name) || resolving.get()) {
                return null;
            }
            resolving.set(true);
            try {
                return resolve(name);
            } finally {
                resolving.set(false);
            }
        }

        private String resolve(String name) {
            String r2dbcUrl = environment.getProperty(R2DBC_URL);
            if (r2dbcUrl == null || r2dbcUrl.isBlank()) {
                Path file = Path.of(environment.getProperty("hanul.data-dir", "data")).toAbsolutePath().normalize()
                        .resolve("db").resolve("hanul");
                return switch (name) {
                    // r2dbc-h2 drops one slash of the path: an absolute path needs "file:///" plus its own "/".
                    case R2DBC_URL -> "r2dbc:h2:file:///" + file + H2_OPTIONS;
                    case "spring.flyway.url" -> "jdbc:h2:file:" + file + H2_OPTIONS;
                    case "spring.r2dbc.username", "spring.flyway.user" -> "sa";
                    default -> null;
                };
            }
            if (environment.getProperty("spring.flyway.url") != null) {
                return null;
            }
            return switch (name) {
                case "spring.flyway.url" -> jdbcUrl(r2dbcUrl);
                case "spring.flyway.user" -> environment.getProperty("spring.r2dbc.username");
                case "spring.flyway.password" -> environment.getProperty("spring.r2dbc.password");
                default -> null;
            };
        }
    }
}
