package dev.hanul.ingest;

import dev.hanul.ingest.text.Chunk;
import dev.hanul.ingest.text.ParsedDocument;
import java.util.List;

/** What reading and transforming made of a staged upload: the parsed document and its chunks, not yet embedded. */
record ProcessedDocument(ParsedDocument parsed, List<Chunk> chunks) {
}
