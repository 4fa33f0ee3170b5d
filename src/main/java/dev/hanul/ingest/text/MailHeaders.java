package dev.hanul.ingest.text;

import java.util.ArrayList;
import java.util.List;
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
        String from = first(metadata, Message.MESSAGE_FROM);
        if (from == null) {
            from = first(metadata, TikaCoreProperties.CREATOR.getName());
        }
        String to = joined(metadata, Message.MESSAGE_TO);
        boolean mail = metadata.get(Message.MESSAGE_FROM) != null || to != null
                || metadata.get(Message.MESSAGE_RAW_HEADER_PREFIX + "Subject") != null;
        if (!mail) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        add(lines, "Subject", first(metadata, TikaCoreProperties.SUBJECT.getName()) != null
                ? first(metadata, TikaCoreProperties.SUBJECT.getName()) : first(metadata, TikaCoreProperties.TITLE.getName()));
        add(lines, "From", from);
        add(lines, "To", to);
        add(lines, "Cc", joined(metadata, Message.MESSAGE_CC));
        add(lines, "Date", first(metadata, TikaCoreProperties.CREATED.getName()));
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n\n";
    }

    private static void add(List<String> lines, String name, String value) {
        if (value != null && !value.isBlank()) {
            lines.add(name + ": " + value.strip());
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
