package dev.hanul.ingest;

import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.MailParts;
import dev.hanul.ingest.text.UnprocessableDocumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An accepted e-mail becomes the message plus one document per attachment: the message carries its headers as
 * metadata ({@code subject}, {@code from}, {@code to}, {@code cc}, {@code date}), and each attachment is staged as a
 * file of its own with {@code parentDocumentId} naming the message, so a search finds the attached report as a
 * document (with its own type, tables and chunks) and still leads back to the mail. An attachment's id is derived
 * from the message's id and the attachment's name, so sending the mail again replaces the same documents. Blocking.
 */
@Component
class MailAttachmentSplitter {

    /** The metadata key that links an attachment to its message. */
    static final String PARENT = "parentDocumentId";

    private static final Logger log = LoggerFactory.getLogger(MailAttachmentSplitter.class);

    private final DocumentStaging staging;
    private final DocumentParser parser;
    private final IngestProperties properties;

    MailAttachmentSplitter(DocumentStaging staging, DocumentParser parser, IngestProperties properties) {
        this.staging = staging;
        this.parser = parser;
        this.properties = properties;
    }

    /** The document as it is unless it is a mail; a mail with its headers as metadata, then its attachments. */
    List<AcceptedDocument> split(AcceptedDocument document) {
        if (!MailParts.isMail(document.mediaType())) {
            return List.of(document);
        }
        MailParts.Mail mail;
        try {
            mail = parser.readMail(staging.resolve(document.stagedFile()), document.mediaType(),
                    properties.maxFileSize().toBytes());
        } catch (UnprocessableDocumentException e) {
            // Parsing the message reports this as its per-document error.
            return List.of(document);
        }
        Map<String, Object> headers = new LinkedHashMap<>(mail.headers());
        var documents = new ArrayList<AcceptedDocument>();
        documents.add(withMetadata(document, document.metadata().with(new DocumentMetadata(headers))));
        Set<String> names = new HashSet<>();
        for (MailParts.Attachment attachment : mail.attachments()) {
            String name = unique(DocumentIds.source(attachment.fileName()), names);
            AcceptedDocument accepted = stage(document, name, attachment.content());
            if (accepted != null) {
                documents.add(accepted);
            }
        }
        return documents;
    }

    private AcceptedDocument stage(AcceptedDocument message, String name, byte[] content) {
        String stagedName = staging.newName(DocumentStaging.extension(name));
        Path file = staging.resolve(stagedName);
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stage the attachment " + name + " of " + message.source() + ": "
                    + e.getMessage(), e);
        }
        String mediaType = parser.detect(file, name);
        String refusal = parser.refusal(mediaType);
        if (refusal != null) {
            log.info("Attachment {} of {} is not indexed: {}", name, message.source(), refusal);
            staging.delete(stagedName);
            return null;
        }
        String source = message.source() + "/" + name;
        var metadata = message.metadata().with(new DocumentMetadata(Map.of(PARENT, message.documentId())));
        return new AcceptedDocument(DocumentKey.fromSource(message.documentId() + "/" + name), source, mediaType,
                HexFormat.of().formatHex(DocumentKey.digest().digest(content)), content.length, metadata, stagedName);
    }

    /** Two attachments of one name ("image001.png" twice) get "-2", "-3", … before the extension. */
    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        }
        return candidate;
    }

    private static AcceptedDocument withMetadata(AcceptedDocument document, DocumentMetadata metadata) {
        return new AcceptedDocument(document.documentId(), document.source(), document.mediaType(),
                document.contentHash(), document.sizeBytes(), metadata, document.stagedFile());
    }
}
