package dev.hanul.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure someone can administer a fresh service: with authentication on, no configured admin key
 * ({@code hanul.security.admin-key}) and no working admin key in the database, it creates one and prints it once.
 * It is never shown again; a lost admin key is replaced by setting hanul.security.admin-key and creating a new one.
 */
@Component
class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    static final int MIN_CONFIGURED_LENGTH = 32;

    private final SecurityProperties properties;
    private final ApiKeyStore store;

    AdminKeyBootstrap(SecurityProperties properties, ApiKeyStore store) {
        this.properties = properties;
        this.store = store;
        String configured = properties.adminKey();
        if (configured != null && !configured.isBlank() && configured.strip().length() < MIN_CONFIGURED_LENGTH) {
            throw new IllegalStateException("hanul.security.admin-key is too short to be safe: use at least "
                    + MIN_CONFIGURED_LENGTH + " random characters, for example from 'openssl rand -hex 32'.");
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabled()) {
            return;
        }
        if (properties.adminKey() != null && !properties.adminKey().isBlank()) {
            log.info("Authentication is on; the admin key is the one set in hanul.security.admin-key.");
            return;
        }
        if (Boolean.TRUE.equals(store.hasActiveAdmin().block())) {
            log.info("Authentication is on; admin keys exist (GET /api/admin/keys lists them).");
            return;
        }
        ApiKeyStore.CreatedKey created = store.create(new NewApiKey("initial admin key", "admin", null, null, null))
                .block();
        log.warn("""

                ************************************************************************************************
                *  Authentication is on, and this is the first start: an admin API key was created.          *
                *  It is shown ONCE, now. Keep it safe; only its hash is stored.                              *
                *                                                                                              *
                *      {}                                         *
                *                                                                                              *
                *  Send it as 'Authorization: Bearer <key>'; create more keys with 'hanul keys create'.       *
                ************************************************************************************************""",
                created.secret());
    }
}
