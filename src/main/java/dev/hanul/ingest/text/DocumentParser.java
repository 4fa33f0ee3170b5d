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
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.SAXException;

/**
 * Detects a file's media type and extracts its text with Apache Tika (only the PDF, Microsoft, HTML and text parser
 * modules are on the class path). Thread-safe; parsing blocks and belongs on a bounded scheduler.
 */
public final class DocumentParser {

    private final Detector detector;
    private final AutoDetectParser parser;
    private final int maxTextChars;

    public DocumentParser(int maxTextChars) {
        TikaConfig config = TikaConfig.getDefaultConfig();
        this.detector = config.getDetector();
        this.parser = new AutoDetectParser(config);
        this.maxTextChars = maxTextChars;
    }

    /** The media type from the content's magic bytes and the file name, without parameters. */
    public String detect(Path file, String fileName) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            return SupportedTypes.normalize(detector.detect(in, metadata).toString());
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
        var handler = new StructuredTextHandler(maxTextChars);
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, handler, metadata, new ParseContext());
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
        String text = handler.text();
        if (text.isBlank()) {
            throw new UnprocessableDocumentException("it contains no text to index (a scanned PDF or an image "
                    + "needs OCR, which Hanul does not do)");
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        return new ParsedDocument(text, title == null || title.isBlank() ? null : title.strip());
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
