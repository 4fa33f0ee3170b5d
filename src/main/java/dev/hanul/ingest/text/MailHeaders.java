package dev.hanul.ingest.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tika.metadata.Message;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;

/**
 * The headers of an e-mail (EML, MSG) as the first lines of its text, so that "the mail from Kim about the budget"
 * finds it: subject, from, to, cc and date. Other documents get nothing.
 */
final class MailHeaders {

    private MailHeaders() {
    }

    static String of(Metadata metadata) {
        Map<String, String> fields = fields(metadata);
        if (fields.isEmpty()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        fields.forEach((name, value) -> lines.add(Character.toUpperCase(name.charAt(0)) + name.substring(1) + ": "
                + value));
        return String.join("\n", lines) + "\n\n";
    }

    /**
     * The headers a mail has, by lower-case name (subject, from, to, cc, date), in that order; empty for a document
     * that is not a mail.
     */
    static Map<String, String> fields(Metadata metadata) {
        String from = first(metadata, Message.MESSAGE_FROM);
        if (from == null) {
            from = first(metadata, TikaCoreProperties.CREATOR.getName());
        }
        String to = joined(metadata, Message.MESSAGE_TO);
        boolean mail = metadata.get(Message.MESSAGE_FROM) != null || to != null
                || metadata.get(Message.MESSAGE_RAW_HEADER_PREFIX + "Subject") != null;
        Map<String, String> fields = new LinkedHashMap<>();
        if (!mail) {
            return fields;
        }
        String subject = first(metadata, TikaCoreProperties.SUBJECT.getName());
        add(fields, "subject", subject != null ? subject : first(metadata, TikaCoreProperties.TITLE.getName()));
        add(fields, "from", from);
        add(fields, "to", to);
        add(fields, "cc", joined(metadata, Message.MESSAGE_CC));
        add(fields, "date", first(metadata, TikaCoreProperties.CREATED.getName()));
        return fields;
    }

    private static void add(Map<String, String> fields, String name, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(name, value.strip());
        }
    }

    private static String first(Metadata metadata, String name) {
        String value = metadata.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String joined(Metadata metadata, String name) {
        String[] values = metadata.getValues(name);
        return values.length == 0 ? null : String.join(", ", values);
    }
}
