package dev.hanul.ingest;

import dev.hanul.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This replica's name in the lease columns of the job entries: {@code hanul.ingest.replica-id}, or one made once
 * (host name and a random suffix) and kept in the data directory's {@code replica-id} file. Kept, so that a replica
 * restarted on the same data directory (the single-process case) is the same owner and resumes its own entries at
 * once instead of waiting for their leases to lapse.
 */
@Component
public class ReplicaIdentity {

    private final String id;

    ReplicaIdentity(IngestProperties properties, DataDirectory dataDirectory) {
        this.id = properties.replicaId() != null ? properties.replicaId().strip()
                : kept(dataDirectory.path().resolve("replica-id"));
    }

    public String id() {
        return id;
    }

    private static String kept(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!id.isEmpty() && id.length() <= 128) {
                    return id;
                }
            }
            String id = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep this replica's id in " + file + ": " + e.getMessage()
                    + "; make the data directory writable or set hanul.ingest.replica-id", e);
        }
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 100 ? name.substring(0, 100) : name;
        } catch (UnknownHostException e) {
            return "replica";
        }
    }
}
