package dev.hanul.ingest.text;

/**
 * The text of a document with its structure kept as Markdown-style lines: headings as {@code #} lines, paragraphs
 * separated by blank lines, so that the cleaner and the splitter need not know the original format.
 *
 * @param title the document's own title when it declares one (PDF/DOCX properties, HTML {@code <title>}), else null
 */
public record ParsedDocument(String text, String title) {
}
