package dev.hanul.chat;

import dev.hanul.index.MetadataValue;
import dev.hanul.index.SearchHit;
import dev.hanul.ingest.DocumentMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns retrieved chunks into the passages a prompt quotes. Chunks repeat the tail of their predecessor (the
 * ingestion overlap), so two neighbouring hits of one document would show the model the same sentences twice and
 * spend the context budget on it: overlapping or adjacent chunks of a document are merged into one passage, by their
 * character offsets. Passages keep the retrieval order: each takes the place of its best chunk.
 */
public final class SourceMerger {

    /** A hit with where it sits in its document; offsets and ordinal are null when the index lacks them. */
    private record Located(SearchHit hit, int rank, Integer ordinal, Integer start, Integer end) {
    }

    /** A passage being built, with the rank of its best chunk. */
    private record Group(List<Located> members, int bestRank) {
    }

    public List<Passage> merge(List<SearchHit> hits) {
        Map<String, List<Located>> byDocument = new LinkedHashMap<>();
        for (int rank = 0; rank < hits.size(); rank++) {
            SearchHit hit = hits.get(rank);
            byDocument.computeIfAbsent(hit.documentId(), id -> new ArrayList<>()).add(new Located(hit, rank,
                    number(hit, DocumentMetadata.CHUNK_ORDINAL), number(hit, DocumentMetadata.START_OFFSET),
                    number(hit, DocumentMetadata.END_OFFSET)));
        }
        List<Group> groups = new ArrayList<>();
        byDocument.values().forEach(located -> groups.addAll(groupsOf(located)));
        groups.sort(Comparator.comparingInt(Group::bestRank));
        return groups.stream().map(SourceMerger::passage).toList();
    }

    /** One document's hits in runs of touching chunks; hits without offsets stay alone. */
    private static List<Group> groupsOf(List<Located> located) {
        List<Located> placed = located.stream().filter(l -> l.start() != null && l.end() != null)
                .sorted(Comparator.comparingInt(Located::start)).toList();
        List<Group> groups = new ArrayList<>();
        List<Located> run = new ArrayList<>();
        for (Located next : placed) {
            if (!run.isEmpty() && !touches(run.getLast(), next)) {
                groups.add(group(run));
                run = new ArrayList<>();
            }
            run.add(next);
        }
        if (!run.isEmpty()) {
            groups.add(group(run));
        }
        located.stream().filter(l -> l.start() == null || l.end() == null)
                .forEach(alone -> groups.add(group(List.of(alone))));
        return groups;
    }

    /** Overlapping text, or consecutive chunks with only the whitespace the splitter trimmed between them. */
    private static boolean touches(Located previous, Located next) {
        return next.start() <= previous.end()
                || (previous.ordinal() != null && next.ordinal() != null && next.ordinal() == previous.ordinal() + 1);
    }

    private static Group group(List<Located> members) {
        return new Group(List.copyOf(members), members.stream().mapToInt(Located::rank).min().orElseThrow());
    }

    private static Passage passage(Group group) {
        List<Located> members = group.members();
        Located first = members.getFirst();
        StringBuilder text = new StringBuilder(first.hit().text());
        int end = first.end() == null ? -1 : first.end();
        for (Located next : members.subList(1, members.size())) {
            if (next.start() >= end) {
                text.append('\n').append(next.hit().text());
            } else if (next.end() > end) {
                // Chunk text is exactly the cleaned text between its offsets, so the overlap is cut by offset.
                text.append(next.hit().text().substring(end - next.start()));
            }
            end = Math.max(end, next.end());
        }
        SearchHit hit = first.hit();
        return new Passage(hit.documentId(), members.stream().map(l -> l.hit().chunkId()).toList(),
                keyword(hit, "source"), keyword(hit, "heading"), first.start(), first.end() == null ? null : end,
                text.toString(), members.stream().mapToDouble(l -> l.hit().score()).max().orElseThrow());
    }

    private static Integer number(SearchHit hit, String key) {
        return hit.metadata().get(key).stream().findFirst()
                .map(value -> value instanceof MetadataValue.LongValue(long number) ? Math.toIntExact(number) : null)
                .orElse(null);
    }

    private static String keyword(SearchHit hit, String key) {
        return hit.metadata().get(key).stream().findFirst()
                .map(value -> value instanceof MetadataValue.Keyword(String text) ? text : null)
                .orElse(null);
    }
}
