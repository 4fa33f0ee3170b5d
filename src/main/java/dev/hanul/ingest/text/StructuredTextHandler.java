package dev.hanul.ingest.text;

import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML into text that keeps the structure the splitter cuts along: {@code <h1>}…{@code <h6>} become
 * {@code #} lines, block elements end their line, paragraphs are separated by a blank line. Stops with
 * {@link TextTooLongException} once the text passes its limit, so a decompression bomb cannot fill the heap.
 */
final class StructuredTextHandler extends DefaultHandler {

    /** Thrown through Tika when the limit is passed; caught by {@link DocumentParser}. */
    static final class TextTooLongException extends SAXException {
        TextTooLongException(int limit) {
            super("text longer than " + limit + " characters");
        }
    }

    private static final Set<String> PARAGRAPHS = Set.of("p", "blockquote", "pre", "table", "ul", "ol", "section",
            "article", "header", "footer");
    private static final Set<String> LINES = Set.of("li", "tr", "div", "dt", "dd", "br", "caption");
    private static final Set<String> CELLS = Set.of("td", "th");

    private final StringBuilder text = new StringBuilder();
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
        } else if (isHeading(name)) {
            endParagraph();
            text.append("#".repeat(name.charAt(1) - '0')).append(' ');
        } else if (PARAGRAPHS.contains(name)) {
            endParagraph();
        } else if (LINES.contains(name)) {
            endLine();
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.isEmpty() ? qName : localName;
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipped--;
        } else if (isHeading(name) || PARAGRAPHS.contains(name)) {
            endParagraph();
        } else if (LINES.contains(name)) {
            endLine();
        } else if (CELLS.contains(name)) {
            text.append(' ');
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (skipped > 0) {
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
