package dev.hanul.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOConsumer;
import org.apache.lucene.util.IOFunction;
import org.apache.lucene.util.IOUtils;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one writer/searcher mechanism under both the chunk store and vector collections: a single IndexWriter, NRT
 * searchers refreshed after every write (a write is visible to the next search), explicit durable commits, and
 * backups of a commit pinned by a snapshot. Thread-safe.
 *
 * <p>A write or commit that fails (a full disk: Lucene then closes its writer for good) takes the index back to its
 * last commit and opens a new writer, so the failed change leaves nothing behind and the next write works once the
 * cause is gone, without a restart. Changes other threads wrote and had not committed yet go back too: their
 * {@link #commit} then fails instead of reporting them durable.
 */
final class LuceneIndex implements Closeable {

    private final IndexConfig config;
    private final Analyzer analyzer;
    private final Directory directory;
    private volatile SnapshotDeletionPolicy snapshots;
    private final Object writes = new Object();
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    /** Counts the returns to the last commit; a thread's uncommitted write remembers the one it was made in. */
    private long generation;
    private final ThreadLocal<Long> uncommittedIn = new ThreadLocal<>();

    private LuceneIndex(IndexConfig config, Analyzer analyzer, Directory directory, SnapshotDeletionPolicy snapshots,
                        IndexWriter writer) throws IOException {
        this.config = config;
        this.analyzer = analyzer;
        this.directory = directory;
        this.snapshots = snapshots;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
    }

    private static IndexWriter openWriter(Directory directory, IndexConfig config, Analyzer analyzer,
                                          SnapshotDeletionPolicy snapshots) throws IOException {
        return new IndexWriter(directory, new IndexWriterConfig(analyzer)
                .setCodec(IndexCodec.of(config))
                .setIndexDeletionPolicy(snapshots)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
    }

    /**
     * Opens the index at {@code path}, creating it (and the directory) when there is none. The index owns the
     * analyzer from here on and closes it.
     */
    static LuceneIndex open(Path path, IndexConfig config, String schema, Analyzer analyzer) throws IOException {
        Directory directory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(path);
            directory = FSDirectory.open(path);
            var wanted = new IndexIdentity(schema, config);
            boolean exists = DirectoryReader.indexExists(directory);
            if (exists) {
                identity(directory, path).requireCompatible(wanted, path);
            }
            var snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
            writer = openWriter(directory, config, analyzer, snapshots);
            writer.setLiveCommitData(wanted.userData().entrySet());
            if (!exists) {
                // An empty index must still remember its identity, and backups need a commit to pin.
                writer.commit();
            }
            return new LuceneIndex(config, analyzer, directory, snapshots, writer);
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(writer, directory, analyzer);
            throw e;
        }
    }

    /** The configuration an existing index was last committed with. */
    static IndexConfig storedConfig(Path path) throws IOException {
        try (Directory directory = FSDirectory.open(path)) {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IllegalStateException("no index at " + path);
            }
            return identity(directory, path).config();
        }
    }

    private static IndexIdentity identity(Directory directory, Path path) throws IOException {
        return IndexIdentity.read(SegmentInfos.readLatestCommit(directory).getUserData(), path);
    }

    IndexConfig config() {
        return config;
    }

    Analyzer analyzer() {
        return analyzer;
    }

    /** Applies a change and refreshes searchers, so the change is visible to the next search (not yet durable). */
    void write(IOConsumer<IndexWriter> change) throws IOException {
        synchronized (writes) {
            try {
                uncommittedIn.set(generation);
                change.accept(writer);
                searchers.maybeRefreshBlocking();
            } catch (IOException | RuntimeException e) {
                backToLastCommit(e);
                throw e;
            }
        }
    }

    <T> T search(IOFunction<IndexSearcher, T> search) throws IOException {
        SearcherManager manager = searchers;
        IndexSearcher searcher = manager.acquire();
        try {
            return search.apply(searcher);
        } finally {
            manager.release(searcher);
        }
    }

    /**
     * Makes every write so far durable: it survives a crash of the process or the machine once this returns.
     *
     * @throws IOException when this thread's last write was undone by a return to the last commit since
     */
    void commit() throws IOException {
        synchronized (writes) {
            Long writtenIn = uncommittedIn.get();
            uncommittedIn.remove();
            if (writtenIn != null && writtenIn != generation) {
                throw new IOException("The index went back to its last commit after another write failed, which "
                        + "undid this change before it was committed; write it again");
            }
            try {
                writer.commit();
            } catch (IOException | RuntimeException e) {
                backToLastCommit(e);
                throw e;
            }
        }
    }

    /**
     * Drops every uncommitted change and opens a new writer on the last commit (Lucene closes a writer for good after
     * some failures, and the failed change must not be committed by the next commit). Called holding {@code writes}.
     */
    private void backToLastCommit(Exception cause) {
        generation++;
        IndexWriter failed = writer;
        SearcherManager oldSearchers = searchers;
        try {
            Map<String, String> identity = new java.util.HashMap<>();
            if (failed.getLiveCommitData() != null) {
                failed.getLiveCommitData().forEach(entry -> identity.put(entry.getKey(), entry.getValue()));
            }
            failed.rollback();
            // a deletion policy belongs to one writer; no backup can hold a snapshot of the failed one any more
            snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
            IndexWriter reopened = openWriter(directory, config, analyzer, snapshots);
            reopened.setLiveCommitData(identity.entrySet());
            writer = reopened;
            searchers = new SearcherManager(reopened, null);
            IOUtils.closeWhileHandlingException(oldSearchers);
        } catch (IOException | RuntimeException reopenFailed) {
            // the writer stays closed; the next write tries again
            cause.addSuppressed(reopenFailed);
        }
    }

    /** Commits, then copies that commit's files to an empty or new directory, from which {@link #restore} rebuilds. */
    void backup(Path target) throws IOException {
        commit();
        IndexWriter writer = this.writer;
        SnapshotDeletionPolicy snapshots = this.snapshots;
        IndexCommit commit = snapshots.snapshot();
        try {
            IndexBackup.copyCommit(directory, commit, target);
        } finally {
            snapshots.release(commit);
            writer.deleteUnusedFiles();
        }
    }

    static void restore(Path backup, Path target) throws IOException {
        IndexBackup.restore(backup, target);
    }

    /**
     * Merges down to at most {@code maxSegments} segments and waits for it. Fewer segments mean fewer graphs to
     * search per query; merging rebuilds graphs, so this is maintenance for quiet hours, not part of the write path.
     */
    void forceMerge(int maxSegments) throws IOException {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments must be at least 1, got " + maxSegments);
        }
        write(w -> w.forceMerge(maxSegments));
    }

    /** Commits what was written (a graceful stop loses nothing) and releases the index. */
    @Override
    public void close() throws IOException {
        IOUtils.close(searchers, writer, directory, analyzer);
    }
}
