package dev.hanul.index;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link VectorCollection} on one {@link LuceneIndex} with the {@link CollectionSchema}. */
final class LuceneVectorCollection implements VectorCollection, Closeable {

    private final String name;
    private final LuceneIndex index;

    private LuceneVectorCollection(String name, LuceneIndex index) {
        this.name = name;
        this.index = index;
    }

    static LuceneVectorCollection open(String name, Path directory, IndexConfig config) throws IOException {
        // Collections index no text, so the analyzer is never used; IndexWriter still requires one.
        return new LuceneVectorCollection(name,
                LuceneIndex.open(directory, config, CollectionSchema.NAME, new StandardAnalyzer()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IndexConfig config() {
        return index.config();
    }

    @Override
    public void upsert(List<VectorRecord> records) throws IOException {
        List<Document> documents = records.stream().map(record -> {
            VectorCheck.require(record.vector(), index.config(), "the vector of record '" + record.id() + "'");
            return CollectionSchema.toDocument(record, index.config());
        }).toList();
        index.write(writer -> {
            for (int i = 0; i < documents.size(); i++) {
                writer.updateDocument(CollectionSchema.id(records.get(i).id()), documents.get(i));
            }
        });
    }

    @Override
    public void delete(String id) throws IOException {
        index.write(writer -> writer.deleteDocuments(CollectionSchema.id(id)));
    }

    @Override
    public Optional<VectorRecord> get(String id) throws IOException {
        return index.search(searcher -> {
            TopDocs found = searcher.search(new TermQuery(CollectionSchema.id(id)), 1);
            return found.scoreDocs.length == 0 ? Optional.empty()
                    : Optional.of(CollectionSchema.toRecord(searcher, found.scoreDocs[0].doc));
        });
    }

    @Override
    public long count() throws IOException {
        return index.search(searcher -> searcher.getIndexReader().numDocs());
    }

    @Override
    public long count(Filter filter) throws IOException {
        return index.search(searcher -> searcher.count(FilterQueries.scoped(MatchAllDocsQuery.INSTANCE, filter)));
    }

    @Override
    public List<VectorMatch> query(VectorQuery query) throws IOException {
        VectorCheck.require(query.vector(), index.config(), "the query vector");
        Query knn = KnnQueries.nearest(CollectionSchema.VECTOR, query.vector(), query.candidates(),
                query.filter().equals(Filter.NONE) ? null : FilterQueries.toQuery(query.filter()), index.config());
        return index.search(searcher -> {
            ScoreDoc[] ranked = searcher.search(knn, query.candidates()).scoreDocs;
            List<VectorMatch> matches = new ArrayList<>(Math.min(query.topK(), ranked.length));
            for (int i = 0; i < ranked.length && matches.size() < query.topK(); i++) {
                if (ranked[i].score < query.minScore()) {
                    break;
                }
                matches.add(CollectionSchema.toMatch(searcher, ranked[i].doc, ranked[i].score));
            }
            return matches;
        });
    }

    @Override
    public void forceMerge(int maxSegments) throws IOException {
        index.forceMerge(maxSegments);
    }

    @Override
    public void commit() throws IOException {
        index.commit();
    }

    @Override
    public void close() throws IOException {
        index.close();
    }
}
