package dev.hanul.ingest.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML into text that keeps the structure the splitter cuts along: {@code <h1>}…{@code <h6>} become
 * {@code #} lines, block elements end their line, paragraphs are separated by a blank line. Tables (spreadsheets,
 * CSV, tables in documents) become one line per row, each cell prefixed with its column's header
 * ({@code Region: Seoul | Revenue: 120}), so that a chunk cut anywhere in a table still says what its values are.
 * Stops with {@link TextTooLongException} once the text passes its limit, so a decompression bomb cannot fill the
 * heap.
 */
final class StructuredTextHandler extends DefaultHandler {

    /** Thrown through Tika when the limit is passed; caught by {@link DocumentParser}. */
    static final class TextTooLongException extends SAXException {
        TextTooLongException(int limit) {
            super("text longer than " + limit + " characters");
        }
    }

    /** A table being read: its header row once seen, the row and the cell in progress. */
    private static final class Table {
        List<String> header;
        List<String> row = new ArrayList<>();
        StringBuilder cell;
    }

    private static final Set<String> PARAGRAPHS = Set.of("p", "blockquote", "pre", "ul", "ol", "section",
            "article", "header", "footer");
    private static final Set<String> LINES = Set.of("li", "div", "dt", "dd", "br", "caption");
    private static final Set<String> CELLS = Set.of("td", "th");

    private final StringBuilder text = new StringBuilder();
    private final Deque<Table> tables = new ArrayDeque<>();
    private final int limit;
    private int skipped;

    StructuredTextHandler(int limit) {
        this.limit = limit;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipped++;
        } else if (name.equals("table")) {
            endParagraph();
            tables.push(new Table());
        } else if (!tables.isEmpty()) {
            startInTable(name);
        } else if (isHeading(name)) {
            endParagraph();
            text.append("#".repeat(name.charAt(1) - '0')).append(' ');
        } else if (PARAGRAPHS.contains(name)) {
            endParagraph();
        } else if (LINES.contains(name) || name.equals("tr")) {
            endLine();
        }
    }

    private void startInTable(String name) {
        Table table = tables.peek();
        if (name.equals("tr")) {
            table.row = new ArrayList<>();
        } else if (CELLS.contains(name)) {
            table.cell = new StringBuilder();
        } else if (table.cell != null) {
            // Paragraphs and line breaks inside a cell: the cell stays on its row's line.
            table.cell.append(' ');
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipped--;
        } else if (name.equals("table") && !tables.isEmpty()) {
            Table table = tables.pop();
            endRow(table, tables.peek());
            endParagraph();
        } else if (!tables.isEmpty()) {
            endInTable(name);
        } else if (isHeading(name) || PARAGRAPHS.contains(name)) {
            endParagraph();
        } else if (LINES.contains(name) || name.equals("tr")) {
            endLine();
        } else if (CELLS.contains(name)) {
            text.append(' ');
        }
    }

    private void endInTable(String name) {
        Table table = tables.peek();
        if (CELLS.contains(name) && table.cell != null) {
            table.row.add(table.cell.toString().replaceAll("\\s+", " ").strip());
            table.cell = null;
        } else if (name.equals("tr")) {
            endRow(table, tables.stream().skip(1).findFirst().orElse(null));
        }
    }

    /**
     * The first row with text is the header; every later row is written with it. A row of a table inside another
     * table's cell is written into that cell.
     */
    private void endRow(Table table, Table outer) {
        List<String> row = table.row;
        table.row = new ArrayList<>();
        if (row.stream().allMatch(String::isEmpty)) {
            return;
        }
        StringBuilder target = outer == null ? text : cellOf(outer);
        if (table.header == null) {
            table.header = row;
            target.append(String.join(" | ", row.stream().filter(cell -> !cell.isEmpty()).toList()));
        } else {
            var cells = new ArrayList<String>();
            for (int i = 0; i < row.size(); i++) {
                String value = row.get(i);
                String column = i < table.header.size() ? table.header.get(i) : "";
                if (!value.isEmpty()) {
                    cells.add(column.isEmpty() ? value : column + ": " + value);
                }
            }
            target.append(String.join(" | ", cells));
        }
        if (target == text) {
            text.append('\n');
        } else {
            target.append(' ');
        }
    }

    private static StringBuilder cellOf(Table outer) {
        if (outer.cell == null) {
            outer.cell = new StringBuilder();
        }
        return outer.cell;
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (skipped > 0) {
            return;
        }
        Table table = tables.peek();
        if (table != null) {
            if (table.cell == null) {
                return;
            }
            table.cell.append(ch, start, length);
            if (table.cell.length() > limit) {
                throw new TextTooLongException(limit);
            }
            return;
        }
        text.append(ch, start, length);
        if (text.length() > limit) {
            throw new TextTooLongException(limit);
        }
    }

    /** Tika's pretty-printing between elements; the element boundaries already give the text its breaks. */
    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
    }

    String text() {
        return text.toString();
    }

    private static boolean isHeading(String name) {
        return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6';
    }

    private void endLine() {
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
    }

    private void endParagraph() {
        endLine();
        if (text.length() >= 2 && text.charAt(text.length() - 2) != '\n') {
            text.append('\n');
        }
    }
}
