package dev.hanul.api;

import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Which tenant a request acts for: the {@code X-Tenant-Id} header, or a {@code tenant} field of the request, or
 * {@value #DEFAULT}. Every read and write of documents and chunks is scoped to it.
 */
public final class Tenants {

    public static final String HEADER = "X-Tenant-Id";
    public static final String DEFAULT = "default";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Tenants() {
    }

    /**
     * The tenant named by the header and/or the request's field (either may be null).
     *
     * @throws ResponseStatusException 400 when the two disagree or the name is not valid
     */
    public static String resolve(String header, String field) {
        String tenant = blank(header) ? blank(field) ? DEFAULT : field.strip() : header.strip();
        if (!blank(header) && !blank(field) && !header.strip().equals(field.strip())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The tenant is given twice and differently: "
                    + HEADER + " '" + header.strip() + "' and field tenant '" + field.strip() + "'. Give one of them.");
        }
        if (!VALID.matcher(tenant).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Tenant '" + tenant + "' is not valid: use 1 to "
                    + "64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        return tenant;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
