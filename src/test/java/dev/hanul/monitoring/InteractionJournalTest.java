package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interaction journal on its own: what a restart reads back, torn frames, and when segments go. */
class InteractionJournalTest {

    @TempDir
    Path dir;

    @Test
    void aRestartReadsBackEveryWholeRecordAndNotATornLastOne() throws IOException {
        var journal = new InteractionJournal(dir, 1 << 20);
        journal.append(bytes("one"));
        journal.append(bytes("two"));
        // what a kill in the middle of an append leaves: a header that promises more than follows
        long old = journal.segments().getFirst();
        Path segment = dir.resolve("segment-%012d.log".formatted(old));
        Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 'x'}, StandardOpenOption.APPEND);

        var restarted = new InteractionJournal(dir, 1 << 20);
        List<InteractionJournal.Recovered> recovered = restarted.recover();
        assertThat(recovered).extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
                .containsExactly("one", "two");
        restarted.discardRecovered();
        assertThat(restarted.segments()).containsExactly(old + 1);
        assertThat(Files.exists(segment)).isFalse();
    }

    @Test
    void aDamagedRecordEndsItsSegment() throws IOException {
        var journal = new InteractionJournal(dir, 1 << 20);
        journal.append(bytes("kept"));
        journal.append(bytes("damaged"));
        journal.append(bytes("after the damage"));
        Path segment = dir.resolve("segment-%012d.log".formatted(journal.segments().getFirst()));
        byte[] data = Files.readAllBytes(segment);
        data[8 + 4 + 8 + 2] ^= 0x20; // a byte of "damaged"
        Files.write(segment, data);
        assertThat(new InteractionJournal(dir, 1 << 20).recover())
                .extracting(r -> new String(r.payload(), StandardCharsets.UTF_8)).containsExactly("kept");
    }

    @Test
    void aSegmentGoesOnceItsRecordsAreWrittenAndANewerOneTakesTheAppends() throws IOException {
        var journal = new InteractionJournal(dir, 16);
        long first = journal.append(bytes("a record longer than a segment"));
        long second = journal.append(bytes("the next segment"));
        assertThat(second).isEqualTo(first + 1);
        assertThat(journal.segments()).containsExactly(first, second);
        journal.written(first);
        assertThat(journal.segments()).containsExactly(second);
        journal.written(second);
        assertThat(journal.segments()).as("the segment appends go to stays").containsExactly(second);
        journal.close();
        assertThat(journal.segments()).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
