package dev.hanul.ingest.text;

import java.util.Locale;
import java.util.Map;

/**
 * The media types Hanul extracts text from, with the names people know them by. Tika detects more, but only these
 * have their parser modules on the class path and have been tested.
 */
public final class SupportedTypes {

    public static final String PDF = "application/pdf";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String HTML = "text/html";
    public static final String XHTML = "application/xhtml+xml";
    /** What Tika calls Markdown (by file name: .md, .markdown). */
    public static final String MARKDOWN = "text/x-web-markdown";
    public static final String TEXT = "text/plain";

    private static final Map<String, String> NAMES = Map.of(
            PDF, "PDF", DOCX, "DOCX", PPTX, "PPTX", HTML, "HTML", XHTML, "XHTML", MARKDOWN, "Markdown",
            TEXT, "plain text");

    /** For error messages: "PDF, DOCX, PPTX, HTML, Markdown, plain text". */
    public static final String DESCRIPTION = "PDF, DOCX, PPTX, HTML, Markdown and plain text (UTF-8 or another "
            + "detectable charset)";

    private SupportedTypes() {
    }

    /** The media type without parameters, lower case; "text/markdown" counts as Markdown. */
    public static String normalize(String mediaType) {
        String base = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return base.equals("text/markdown") ? MARKDOWN : base;
    }

    public static boolean isSupported(String mediaType) {
        return NAMES.containsKey(normalize(mediaType));
    }

    /** Formats whose text comes in pages, whose running headers and footers repeat on every page. */
    static boolean isPaged(String mediaType) {
        String type = normalize(mediaType);
        return type.equals(PDF) || type.equals(PPTX);
    }
}
