package dev.hanul.ingest.text;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The media types Hanul extracts text from, as Tika detects them, with the names people know them by: the document
 * formats of an office file share (each one tested), not everything Tika can detect (archives, fonts, audio,
 * executables have no text worth a search). Images count only where OCR is installed; see {@link DocumentParser}.
 */
public final class SupportedTypes {

    public static final String PDF = "application/pdf";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String DOC = "application/msword";
    public static final String PPT = "application/vnd.ms-powerpoint";
    public static final String XLS = "application/vnd.ms-excel";
    public static final String MSG = "application/vnd.ms-outlook";
    public static final String EML = "message/rfc822";
    public static final String RTF = "application/rtf";
    public static final String ODT = "application/vnd.oasis.opendocument.text";
    public static final String ODS = "application/vnd.oasis.opendocument.spreadsheet";
    public static final String ODP = "application/vnd.oasis.opendocument.presentation";
    public static final String EPUB = "application/epub+zip";
    public static final String HTML = "text/html";
    public static final String XHTML = "application/xhtml+xml";
    /** What Tika calls Markdown (by file name: .md, .markdown). */
    public static final String MARKDOWN = "text/x-web-markdown";
    public static final String TEXT = "text/plain";
    public static final String CSV = "text/csv";
    public static final String TSV = "text/tab-separated-values";
    public static final String JSON = "application/json";
    public static final String XML = "application/xml";
    /** HWP 5.x, the Hangul word processor's binary format (read with hwplib). */
    public static final String HWP = "application/x-hwp-v5";
    /** HWPX, the Hangul word processor's OWPML zip format (read with hwpxlib). */
    public static final String HWPX = "application/hwp+zip";
    /** HWP 3.0 and older (before 2002): Tika knows the type, nothing in Java reads it. */
    public static final String OLD_HWP = "application/x-hwp";

    /**
     * A password-protected DOCX, XLSX or PPTX, as Tika detects it: taken like the others so that it fails alone, as
     * "it is encrypted", instead of getting its whole upload refused as an unknown format.
     */
    public static final String PROTECTED_OOXML = "application/x-tika-ooxml-protected";

    private static final Map<String, String> DOCUMENTS = new LinkedHashMap<>();
    private static final Map<String, String> IMAGES = new LinkedHashMap<>();

    static {
        DOCUMENTS.put(PDF, "PDF");
        DOCUMENTS.put(DOCX, "DOCX");
        DOCUMENTS.put("application/vnd.ms-word.document.macroenabled.12", "DOCM");
        DOCUMENTS.put(PPTX, "PPTX");
        DOCUMENTS.put("application/vnd.ms-powerpoint.presentation.macroenabled.12", "PPTM");
        DOCUMENTS.put(XLSX, "XLSX");
        DOCUMENTS.put("application/vnd.ms-excel.sheet.macroenabled.12", "XLSM");
        DOCUMENTS.put(DOC, "DOC");
        DOCUMENTS.put(PPT, "PPT");
        DOCUMENTS.put(XLS, "XLS");
        DOCUMENTS.put(MSG, "Outlook MSG");
        DOCUMENTS.put(EML, "EML");
        // an .eml saved by a mail client with mbox's "From " line first is detected as a (one-message) mailbox
        DOCUMENTS.put("application/mbox", "MBOX");
        DOCUMENTS.put(RTF, "RTF");
        DOCUMENTS.put(ODT, "ODT");
        DOCUMENTS.put(ODS, "ODS");
        DOCUMENTS.put(ODP, "ODP");
        DOCUMENTS.put(EPUB, "EPUB");
        DOCUMENTS.put(HWP, "HWP");
        DOCUMENTS.put(HWPX, "HWPX");
        DOCUMENTS.put(HTML, "HTML");
        DOCUMENTS.put(XHTML, "XHTML");
        DOCUMENTS.put(MARKDOWN, "Markdown");
        DOCUMENTS.put(TEXT, "plain text");
        DOCUMENTS.put(CSV, "CSV");
        DOCUMENTS.put(TSV, "TSV");
        DOCUMENTS.put(JSON, "JSON");
        DOCUMENTS.put(XML, "XML");
        DOCUMENTS.put("application/vnd.ms-wordml", "Word 2003 XML");
        DOCUMENTS.put("application/vnd.ms-spreadsheetml", "Excel 2003 XML");
        IMAGES.put("image/png", "PNG");
        IMAGES.put("image/jpeg", "JPEG");
        IMAGES.put("image/tiff", "TIFF");
        IMAGES.put("image/bmp", "BMP");
        IMAGES.put("image/gif", "GIF");
    }

    private static final Set<String> PAGED = Set.of(PDF, PPTX, PPT, ODP);

    private SupportedTypes() {
    }

    /** The media type without parameters, lower case, with the aliases Tika and browsers use mapped to one. */
    public static String normalize(String mediaType) {
        String base = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (base) {
            case "text/markdown" -> MARKDOWN;
            case "text/xml" -> XML;
            default -> base;
        };
    }

    /** A document format Hanul reads whatever is installed (images need OCR: {@link DocumentParser#canRead}). */
    public static boolean isSupported(String mediaType) {
        String type = normalize(mediaType);
        return DOCUMENTS.containsKey(type) || type.equals(PROTECTED_OOXML);
    }

    public static boolean isImage(String mediaType) {
        return IMAGES.containsKey(normalize(mediaType));
    }

    /** The name people know the format by ("XLSX", "HWP"), or the media type itself. */
    public static String name(String mediaType) {
        String type = normalize(mediaType);
        return DOCUMENTS.getOrDefault(type, IMAGES.getOrDefault(type, type));
    }

    /** For error messages: every format, and the images when OCR is there. */
    public static String description(boolean ocr) {
        return String.join(", ", DOCUMENTS.values()) + (ocr ? ", and images (" + String.join(", ", IMAGES.values())
                + ") through OCR" : "; images and scanned pages need OCR, which needs tesseract installed");
    }

    /** Formats whose text comes in pages, whose running headers and footers repeat on every page. */
    static boolean isPaged(String mediaType) {
        return PAGED.contains(normalize(mediaType));
    }
}
