package dev.hanul.security;

import java.util.Optional;
import org.springframework.http.HttpMethod;

/**
 * What each role may call, as one table of rules; {@link #denial} says why not, for the 403's message.
 * <ul>
 *   <li>{@code /api/admin/**}, {@code /api/eval/**} (datasets and results span tenants), changes to prompts
 *       (moving a label deploys a prompt) and vLLM's {@code /v1/load_lora_adapter}, {@code /v1/unload_lora_adapter}
 *       (they read files on the server): admin keys only.</li>
 *   <li>{@code /actuator/**} (metrics; the health probes are open to all) and {@code /api/collections/**} (collections
 *       are shared by all tenants): keys for every tenant only.</li>
 *   <li>read-only keys: GET and HEAD, and the POSTs that only read ({@code /api/search}, collection queries).</li>
 *   <li>user and admin keys: everything else.</li>
 * </ul>
 */
final class KeyAccess {

    private KeyAccess() {
    }

    static Optional<String> denial(ApiKey key, HttpMethod method, String path) {
        String who = "The API key " + key.prefix() + " (" + key.role().wireName()
                + (key.allTenants() ? "" : ", tenant '" + key.tenant() + "'") + ")";
        if (under(path, "/api/admin") && key.role() != Role.ADMIN) {
            return Optional.of(who + " may not use the admin API at " + path + "; that needs an admin key.");
        }
        if (changesLoraAdapters(path) && key.role() != Role.ADMIN) {
            return Optional.of(who + " may not load or unload LoRA adapters (" + path + "); that needs an admin key.");
        }
        if ((under(path, "/api/eval") || changesPrompts(method, path)) && key.role() != Role.ADMIN) {
            return Optional.of(who + " may not use " + method + " " + path + "; evaluations and prompt changes need "
                    + "an admin key.");
        }
        if ((under(path, "/actuator") || under(path, "/api/collections")) && !key.allTenants()) {
            return Optional.of(who + " may not use " + path + ": it serves every tenant, so it needs a key that is "
                    + "not bound to one tenant.");
        }
        if (key.role() == Role.READ_ONLY && !reads(method, path)) {
            return Optional.of(who + " may only read and search; " + method + " " + path + " needs a user key.");
        }
        return Optional.empty();
    }

    private static boolean reads(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.POST.equals(method) && (path.equals("/api/search")
                        || path.matches("/api/collections/[^/]+/query"));
    }

    /** Creating versions and moving labels; reading and rendering prompts is for everyone. */
    private static boolean changesPrompts(HttpMethod method, String path) {
        return under(path, "/api/prompts") && !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)
                && !path.endsWith("/render");
    }

    /** vLLM's runtime adapter endpoints read files on the server, so they are administration. */
    private static boolean changesLoraAdapters(String path) {
        return path.equals("/v1/load_lora_adapter") || path.equals("/v1/unload_lora_adapter");
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }
}
