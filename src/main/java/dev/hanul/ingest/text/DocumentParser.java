package dev.hanul.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.xml.sax.SAXException;

/**
 * Detects a file's media type and extracts its text with Apache Tika's standard parsers, HWP and HWPX with hwplib and
 * hwpxlib, and images and scanned PDF pages with Tesseract OCR when the {@code tesseract} binary and the configured
 * languages are installed. Embedded files (files inside a document) are parsed into the document's text; an e-mail's
 * attachments are not, since ingestion makes them documents of their own ({@link #readMail}). Thread-safe; parsing blocks and belongs on a bounded scheduler.
 */
public final class DocumentParser {

    static final long MIN_IMAGE_BYTES_TO_OCR = 2048;

    private final Detector detector;
    private final AutoDetectParser parser;
    private final int maxTextChars;
    private final Ocr ocr;

    public DocumentParser(int maxTextChars) {
        this(maxTextChars, Ocr.detect("kor+eng"));
    }

    public DocumentParser(int maxTextChars, Ocr ocr) {
        TikaConfig config = TikaConfig.getDefaultConfig();
        this.detector = config.getDetector();
        this.parser = new AutoDetectParser(config);
        this.maxTextChars = maxTextChars;
        this.ocr = ocr;
    }

    public Ocr ocr() {
        return ocr;
    }

    /** Whether files of this (detected) type can be ingested here: a supported format, or an image with OCR. */
    public boolean canRead(String mediaType) {
        return SupportedTypes.isSupported(mediaType) || (ocr.available() && SupportedTypes.isImage(mediaType));
    }

    /** Why a file of this type is refused, for the person who sent it; null when it {@link #canRead can be read}. */
    public String refusal(String mediaType) {
        if (canRead(mediaType)) {
            return null;
        }
        if (mediaType.equals(SupportedTypes.OLD_HWP)) {
            return "it is an HWP 3.0 (or older) file, which no Java library reads; open it in Hangul and save it as "
                    + "HWP or HWPX";
        }
        if (SupportedTypes.isImage(mediaType)) {
            return "it is an image (" + mediaType + "), and text in images needs OCR: " + ocr.reason();
        }
        return "it is " + mediaType + ", which Hanul cannot ingest. Supported: " + SupportedTypes.description(
                ocr.available());
    }

    /** The media type from the content's magic bytes and the file name, without parameters. */
    public String detect(Path file, String fileName) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            String type = SupportedTypes.normalize(detector.detect(in, metadata).toString());
            // Tika knows HWP by name only; by content an HWP file is just another OLE2 container.
            return type.equals("application/x-tika-msoffice") && HangulDocuments.isHwp(file) ? SupportedTypes.HWP
                    : type;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the staged upload " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The document's text, structure kept (see {@link ParsedDocument}).
     *
     * @throws UnprocessableDocumentException when the file is encrypted, corrupt, empty or has no text
     */
    public ParsedDocument parse(Path file, String fileName, String mediaType) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        if (mediaType.equals(SupportedTypes.HWP) || mediaType.equals(SupportedTypes.HWPX)) {
            return HangulDocuments.read(file, mediaType);
        }
        var handler = new StructuredTextHandler(maxTextChars);
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            if (mediaType.equals(SupportedTypes.CSV) || mediaType.equals(SupportedTypes.TSV)) {
                CsvTables.read(file, mediaType, handler);
            } else {
                parser.parse(in, handler, metadata, context(mediaType));
            }
        } catch (EncryptedDocumentException e) {
            throw new UnprocessableDocumentException("it is encrypted (password-protected); remove the password and "
                    + "upload it again", e);
        } catch (ZeroByteFileException e) {
            throw new UnprocessableDocumentException("it is empty", e);
        } catch (TikaException | SAXException e) {
            if (causedByTextLimit(e)) {
                throw new UnprocessableDocumentException("its text is longer than " + maxTextChars + " characters "
                        + "(hanul.ingest.max-text-chars); split it into smaller documents or raise the limit", e);
            }
            throw new UnprocessableDocumentException("it cannot be read as " + mediaType + " (" + rootMessage(e)
                    + "); the file may be corrupt or truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the staged upload " + file + ": " + e.getMessage(), e);
        }
        String text = MailHeaders.of(metadata) + handler.text();
        if (text.isBlank()) {
            throw new UnprocessableDocumentException("it contains no text to index" + (ocr.available()
                    ? " (OCR found none either)" : " (a scanned PDF or an image needs OCR: " + ocr.reason() + ")"));
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        return new ParsedDocument(text, title == null || title.isBlank() ? null : title.strip());
    }

    /**
     * An e-mail's headers and its attachments (at most {@code maxAttachmentBytes} each; larger ones are left out),
     * which ingestion makes documents of their own.
     *
     * @throws UnprocessableDocumentException when the mail cannot be read
     */
    public MailParts.Mail readMail(Path file, String mediaType, long maxAttachmentBytes) {
        return MailParts.read(file, mediaType, parser, maxAttachmentBytes);
    }

    /**
     * Embedded files are parsed with the same parser; PDF pages are OCR'd only when they have (almost) no text layer
     * of their own, so that born-digital PDFs cost no OCR time.
     */
    private ParseContext context(String mediaType) {
        var context = new ParseContext();
        context.set(Parser.class, parser);
        if (MailParts.isMail(mediaType)) {
            // A mail's attachments are documents of their own (MailParts); its text is the message alone.
            context.set(EmbeddedDocumentExtractor.class, new ParsingEmbeddedDocumentExtractor(context) {
                @Override
                public boolean shouldParseEmbedded(Metadata part) {
                    return !MailParts.isAttachment(part) && super.shouldParseEmbedded(part);
                }
            });
        }
        var tesseract = new TesseractOCRConfig();
        if (ocr.available()) {
            tesseract.setLanguage(ocr.languages());
            // One column of text of varying sizes: tesseract's automatic layout (3) dropped a whole Korean line of a
            // clean two-line scan that this mode reads (tesseract 5.3, kor+eng fast models).
            tesseract.setPageSegMode("4");
            // Icons, bullets and logos inside documents are images too; OCR would cost a process start each and read
            // nothing worth indexing.
            tesseract.setMinFileSizeToOcr(MIN_IMAGE_BYTES_TO_OCR);
        } else {
            tesseract.setSkipOcr(true);
        }
        context.set(TesseractOCRConfig.class, tesseract);
        var pdf = new PDFParserConfig();
        pdf.setOcrStrategy(ocr.available() ? PDFParserConfig.OCR_STRATEGY.AUTO : PDFParserConfig.OCR_STRATEGY.NO_OCR);
        context.set(PDFParserConfig.class, pdf);
        return context;
    }

    /** Parsers wrap what the handler throws, some more than once. */
    private static boolean causedByTextLimit(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StructuredTextHandler.TextTooLongException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
