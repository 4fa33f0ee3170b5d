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

/**
 * The one writer/searcher mechanism under both the chunk store and vector collections: a single IndexWriter, NRT
 * searchers refreshed after every write (a write is visible to the next search), explicit durable commits, and
 * backups of a commit pinned by a snapshot. Thread-safe: IndexWriter and SearcherManager are.
 */
final class LuceneIndex implements Closeable {

    private final IndexConfig config;
    private final Analyzer analyzer;
    private final Directory directory;
    private final SnapshotDeletionPolicy snapshots;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private LuceneIndex(IndexConfig config, Analyzer analyzer, Directory directory, SnapshotDeletionPolicy snapshots,
                        IndexWriter writer) throws IOException {
        this.config = config;
        this.analyzer = analyzer;
        this.directory = directory;
        this.snapshots = snapshots;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
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
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setCodec(IndexCodec.of(config))
                    .setIndexDeletionPolicy(snapshots)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
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
        change.accept(writer);
        searchers.maybeRefreshBlocking();
    }

    <T> T search(IOFunction<IndexSearcher, T> search) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return search.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Makes every write so far durable: it survives a crash of the process or the machine once this returns. */
    void commit() throws IOException {
        writer.commit();
    }

    /** Commits, then copies that commit's files to an empty or new directory, from which {@link #restore} rebuilds. */
    void backup(Path target) throws IOException {
        commit();
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
