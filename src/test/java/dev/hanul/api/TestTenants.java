package dev.hanul.api;

import java.util.UUID;

/** Tests share their application contexts, so each test works in a tenant of its own and never sees another's data. */
public final class TestTenants {

    private TestTenants() {
    }

    public static String newTenant() {
        return "t-" + UUID.randomUUID();
    }
}
