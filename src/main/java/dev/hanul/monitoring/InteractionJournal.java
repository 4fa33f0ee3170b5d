package dev.hanul.monitoring;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.SyncFailedException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The interaction log's write-ahead journal: a record is appended here on the request path, before its answer
 * ends, and the database row is written later by the log's writer thread. A killed process loses nothing that was
 * appended (the bytes are in the operating system's page cache once {@link #append} returns; {@link #sync} puts them
 * on the disk too), and the next start writes what the database does not hold yet.
 *
 * <p>Records go into numbered segment files as frames {@code [length][CRC32C][bytes]}; a frame cut short by a kill,
 * or with a wrong checksum, ends its segment on reading and was never acknowledged. A segment is deleted once every
 * record in it is in the database and a newer segment receives the appends. Thread-safe.
 */
final class InteractionJournal implements AutoCloseable {

    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{12})\\.log");
    private static final int HEADER = 8;
    /** Above this a frame's length field can only be damage (a prompt is a model window of text, far below). */
    private static final int MAX_FRAME = 64 << 20;

    private final Path directory;
    private final long segmentBytes;
    /** Records appended and not yet written to the database, per segment. */
    private final Map<Long, Integer> pending = new HashMap<>();
    private long segment;
    /**
     * The current segment. A stream, not a FileChannel: a channel is closed for good when a thread that uses it is
     * interrupted (a cancelled request's thread may be), and every later record would be lost.
     */
    private FileOutputStream out;
    private long size;

    /** A record read back at start, and the segment holding it. */
    record Recovered(long segment, byte[] payload) {
    }

    /**
     * Opens the journal in {@code directory}, leaving earlier segments for {@link #recover}; appends go to a new
     * segment from here on.
     */
    InteractionJournal(Path directory, long segmentBytes) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
            segment = segments().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
            out = open(segment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the interaction journal in " + directory
                    + "; make the data directory (hanul.data-dir) writable", e);
        }
    }

    /** Every whole record in the segments written before this start, oldest first. */
    List<Recovered> recover() throws IOException {
        var records = new ArrayList<Recovered>();
        for (long earlier : segments()) {
            if (earlier >= segment) {
                continue;
            }
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(path(earlier)));
            var crc = new CRC32C();
            while (data.remaining() >= HEADER) {
                int length = data.getInt();
                int checksum = data.getInt();
                if (length < 0 || length > MAX_FRAME || length > data.remaining()) {
                    break;
                }
                byte[] payload = new byte[length];
                data.get(payload);
                crc.reset();
                crc.update(payload);
                if ((int) crc.getValue() != checksum) {
                    break;
                }
                records.add(new Recovered(earlier, payload));
            }
        }
        return records;
    }

    /** Deletes the segments written before this start, once their records are in the database. */
    synchronized void discardRecovered() throws IOException {
        for (long earlier : segments()) {
            if (earlier < segment && !pending.containsKey(earlier)) {
                Files.deleteIfExists(path(earlier));
            }
        }
    }

    /**
     * Appends one record; it survives a killed process once this returns.
     *
     * @return the segment that holds it, to hand to {@link #written} once the record is in the database
     */
    synchronized long append(byte[] payload) throws IOException {
        if (size >= segmentBytes) {
            roll();
        }
        var crc = new CRC32C();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        out.write(frame.array());
        size += frame.capacity();
        pending.merge(segment, 1, Integer::sum);
        return segment;
    }

    /** A record of {@code recordSegment} is in the database: its segment goes once it holds nothing else. */
    synchronized void written(long recordSegment) throws IOException {
        int left = pending.merge(recordSegment, -1, Integer::sum);
        if (left <= 0) {
            pending.remove(recordSegment);
            if (recordSegment != segment) {
                Files.deleteIfExists(path(recordSegment));
            }
        }
    }

    /**
     * Puts what was appended on the disk, for a machine that loses power rather than a process that is killed. The
     * fsync runs outside the lock: appends come from the request path and must not wait for the disk, nor for the
     * low-priority writer thread that calls this to be scheduled again.
     */
    void sync() throws IOException {
        FileOutputStream current;
        synchronized (this) {
            current = out;
        }
        try {
            current.getFD().sync();
        } catch (SyncFailedException e) {
            synchronized (this) {
                if (current == out) {
                    throw e;
                }
            }
            // the segment rolled over meanwhile, and roll() synced it before closing it
        }
    }

    /** Segment files on the disk now (for tests and the log). */
    synchronized List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> SEGMENT.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).map(matcher -> Long.parseLong(matcher.group(1))).sorted().toList();
        }
    }

    private void roll() throws IOException {
        out.getFD().sync();
        out.close();
        long full = segment;
        segment++;
        out = open(segment);
        if (!pending.containsKey(full)) {
            Files.deleteIfExists(path(full));
        }
    }

    private FileOutputStream open(long number) throws IOException {
        size = 0;
        Files.createDirectories(directory);
        return new FileOutputStream(path(number).toFile(), true);
    }

    private Path path(long number) {
        return directory.resolve("segment-%012d.log".formatted(number));
    }

    /** Closes the current segment, and deletes it when every record in it is in the database. */
    @Override
    public synchronized void close() throws IOException {
        out.close();
        if (!pending.containsKey(segment)) {
            Files.deleteIfExists(path(segment));
        }
    }
}
