package dev.hanul.ingest;

import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Document ids: given by the client, or derived from the document's source so that uploading the same file name
 * again replaces the document instead of adding a second one.
 */
final class DocumentIds {

    /** Safe in a URL path segment as it is, so /api/documents/{id} needs no escaping. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}");

    private DocumentIds() {
    }

    /** The given id, checked, or one derived from the source. */
    static String of(String given, String source, String field) {
        if (given == null || given.isBlank()) {
            return DocumentKey.fromSource(source);
        }
        if (!VALID.matcher(given).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " '" + given + "' is not a valid "
                    + "document id: use 1 to 200 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or "
                    + "digit.");
        }
        return given;
    }

    /** A file name as a source: forward slashes, no leading "./" or "/", at most 1024 characters. */
    static String source(String fileName) {
        String source = fileName.replace('\\', '/').strip();
        while (source.startsWith("./") || source.startsWith("/")) {
            source = source.substring(source.startsWith("./") ? 2 : 1);
        }
        return source.length() > 1024 ? source.substring(source.length() - 1024) : source;
    }
}
