package dev.hanul.engine.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a model's output into text and function calls while it streams: text passes through as it comes, except a
 * tail that could be the beginning of the format's call marker, which waits for the next delta; a call is held until
 * it is whole and then comes out as one {@link Event.Call} (for OpenAI's streamed {@code tool_calls} deltas). A Llama 3
 * output that begins with a JSON object or {@code <|python_tag|>} is held to the end, since the whole output is the
 * call. Not thread-safe: one per sample.
 */
public final class ToolCallStream {

    /** A piece of the split output. */
    public sealed interface Event {
        record Text(String text) implements Event {
        }

        record Call(ToolCall call) implements Event {
        }
    }

    private final ToolCallFormat format;
    private final ToolCallParser parser;
    private final StringBuilder pending = new StringBuilder();
    private boolean inCall;
    private boolean holdAll;
    private boolean started;

    public ToolCallStream(ToolCallFormat format) {
        this.format = format;
        this.parser = new ToolCallParser(format);
    }

    /** The events the new text completes. */
    public List<Event> feed(String delta) {
        pending.append(delta);
        List<Event> events = new ArrayList<>();
        if (format == ToolCallFormat.LLAMA3_JSON) {
            if (!started) {
                String head = pending.toString().stripLeading();
                if (head.isEmpty()) {
                    return events;
                }
                started = true;
                holdAll = head.startsWith("{") || "<|python_tag|>".startsWith(head.substring(0,
                        Math.min(head.length(), "<|python_tag|>".length())));
            }
            if (!holdAll) {
                events.add(new Event.Text(pending.toString()));
                pending.setLength(0);
            }
            return events;
        }
        drain(events);
        return events;
    }

    /** The events left when the output has ended: a call without its closing marker, or held text. */
    public List<Event> finish() {
        List<Event> events = new ArrayList<>();
        if (pending.isEmpty()) {
            return events;
        }
        String rest = (inCall ? format.open() : "") + pending;
        pending.setLength(0);
        ToolCallParser.Parsed parsed = parser.parse(rest);
        if (!parsed.content().isEmpty()) {
            events.add(new Event.Text(parsed.calls().isEmpty() ? rest : parsed.content()));
        }
        parsed.calls().forEach(call -> events.add(new Event.Call(call)));
        return events;
    }

    private void drain(List<Event> events) {
        while (true) {
            if (!inCall) {
                int open = pending.indexOf(format.open());
                if (open < 0) {
                    int keep = partialMarker(format.open());
                    if (pending.length() > keep) {
                        events.add(new Event.Text(pending.substring(0, pending.length() - keep)));
                        pending.delete(0, pending.length() - keep);
                    }
                    return;
                }
                if (open > 0) {
                    events.add(new Event.Text(pending.substring(0, open)));
                }
                pending.delete(0, open + format.open().length());
                inCall = true;
            }
            if (format.close().isEmpty()) {
                return;
            }
            int close = pending.indexOf(format.close());
            if (close < 0) {
                return;
            }
            String whole = format.open() + pending.substring(0, close) + format.close();
            pending.delete(0, close + format.close().length());
            inCall = false;
            ToolCallParser.Parsed parsed = parser.parse(whole);
            if (parsed.calls().isEmpty()) {
                events.add(new Event.Text(whole));
            } else {
                parsed.calls().forEach(call -> events.add(new Event.Call(call)));
            }
        }
    }

    /** How many characters at the end of the pending text could start {@code marker}. */
    private int partialMarker(String marker) {
        for (int length = Math.min(marker.length() - 1, pending.length()); length > 0; length--) {
            if (pending.substring(pending.length() - length).equals(marker.substring(0, length))) {
                return length;
            }
        }
        return 0;
    }
}
