package dev.hanul.index;

import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a commit's files to or from a backup directory. The segments_N file goes last and is synced last: a copy
 * cut short has no commit point and can never be mistaken for a complete index.
 */
final class IndexBackup {

    private IndexBackup() {
    }

    static void copyCommit(Directory source, IndexCommit commit, Path target) throws IOException {
        requireEmpty(target, "backup target");
        try (Directory out = FSDirectory.open(target)) {
            copy(source, out, commit.getFileNames(), commit.getSegmentsFileName());
        }
    }

    static void restore(Path backup, Path indexDirectory) throws IOException {
        if (!Files.isDirectory(backup)) {
            throw new IllegalArgumentException("no backup directory at " + backup);
        }
        requireEmpty(indexDirectory, "restore target");
        try (Directory in = FSDirectory.open(backup); Directory out = FSDirectory.open(indexDirectory)) {
            SegmentInfos commit;
            try {
                commit = SegmentInfos.readLatestCommit(in);
            } catch (IndexNotFoundException e) {
                throw new IllegalArgumentException("no index commit in backup directory " + backup, e);
            }
            copy(in, out, commit.files(true), commit.getSegmentsFileName());
        }
    }

    private static void copy(Directory from, Directory to, Iterable<String> files, String segmentsFile)
            throws IOException {
        List<String> data = new ArrayList<>();
        files.forEach(name -> {
            if (!name.equals(segmentsFile)) {
                data.add(name);
            }
        });
        for (String name : data) {
            to.copyFrom(from, name, name, IOContext.DEFAULT);
        }
        to.sync(data);
        to.copyFrom(from, segmentsFile, segmentsFile, IOContext.DEFAULT);
        to.sync(List.of(segmentsFile));
        to.syncMetaData();
    }

    private static void requireEmpty(Path directory, String role) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(role + " " + directory
                            + " is not empty; give an empty or new directory");
                }
            }
        }
    }
}
