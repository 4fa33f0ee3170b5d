package dev.hanul.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tika.exception.TikaException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * An e-mail's headers and its attachments, which ingestion makes documents of their own (linked to the message by
 * {@code parentDocumentId}), so that a search finds the attached report as the report, not as the tail of a mail.
 * Attachments are the message's named parts (a file name in their headers), at the top level only: an attached mail
 * stays one document with its own attachments' text inside.
 */
public final class MailParts {

    /** EML and Outlook MSG. */
    public static final Set<String> MAIL_TYPES = Set.of("message/rfc822", "application/vnd.ms-outlook");

    /** @param fileName the attachment's name as the mail gives it */
    public record Attachment(String fileName, byte[] content) {
    }

    /**
     * @param headers subject, from, to, cc and date, those the mail has, in that order
     */
    public record Mail(Map<String, String> headers, List<Attachment> attachments) {
    }

    private MailParts() {
    }

    public static boolean isMail(String mediaType) {
        return MAIL_TYPES.contains(mediaType);
    }

    /** Whether an embedded part is an attachment: it has a file name. */
    static boolean isAttachment(Metadata part) {
        String name = part.get(TikaCoreProperties.RESOURCE_NAME_KEY);
        return name != null && !name.isBlank();
    }

    static Mail read(Path file, String mediaType, Parser parser, long maxAttachmentBytes) {
        Metadata metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, mediaType);
        var attachments = new ArrayList<Attachment>();
        var context = new ParseContext();
        context.set(EmbeddedDocumentExtractor.class, new EmbeddedDocumentExtractor() {
            @Override
            public boolean shouldParseEmbedded(Metadata part) {
                return isAttachment(part);
            }

            @Override
            public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata part, boolean outputHtml)
                    throws IOException {
                if (!isAttachment(part)) {
                    return;
                }
                byte[] content = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAttachmentBytes + 1));
                if (content.length > 0 && content.length <= maxAttachmentBytes) {
                    attachments.add(new Attachment(part.get(TikaCoreProperties.RESOURCE_NAME_KEY).strip(), content));
                }
            }
        });
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, new BodyContentHandler(-1), metadata, context);
        } catch (TikaException | SAXException e) {
            throw new UnprocessableDocumentException("it cannot be read as " + mediaType + " (" + e.getMessage()
                    + "); the file may be corrupt or truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the staged upload " + file + ": " + e.getMessage(), e);
        }
        return new Mail(MailHeaders.fields(metadata), List.copyOf(attachments));
    }
}
