package dev.hanul.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tools for a model whose chat template knows nothing of them (SmolLM2, Gemma, most base chat templates): the
 * conversation is rewritten into plain system, user and assistant turns the way Qwen 2.5's template writes tools (the
 * Hermes format, which {@link ToolCallFormat#HERMES} then parses): the function signatures inside {@code <tools>} in
 * the system message, an assistant's calls as {@code <tool_call>} blocks in its text, and tool results as a user turn
 * of {@code <tool_response>} blocks. Without this, such a template would drop the tools silently, or fail on a
 * message without text.
 */
final class HermesToolPrompt {

    private HermesToolPrompt() {
    }

    /** Whether the template renders tools itself (it reads the {@code tools} variable or messages' tool calls). */
    static boolean handledBy(String template) {
        return template.contains("tools") || template.contains("tool_calls");
    }

    /** Whether there is anything tool-shaped to write. */
    static boolean needed(List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
        if (tools != null && !tools.isEmpty()) {
            return true;
        }
        return messages.stream().anyMatch(m -> "tool".equals(m.get("role")) || m.get("tool_calls") != null);
    }

    /** The conversation in plain role/content turns, tools and calls written as text. */
    static List<Map<String, Object>> rewrite(List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
        List<Map<String, Object>> out = new ArrayList<>();
        int start = 0;
        if (tools != null && !tools.isEmpty()) {
            boolean hasSystem = !messages.isEmpty() && "system".equals(messages.getFirst().get("role"));
            String system = hasSystem ? text(messages.getFirst()) + "\n\n" : "";
            out.add(turn("system", system + toolsSection(tools)));
            start = hasSystem ? 1 : 0;
        }
        for (int i = start; i < messages.size(); i++) {
            Map<String, Object> message = messages.get(i);
            Object role = message.get("role");
            if ("tool".equals(role)) {
                String response = "<tool_response>\n" + text(message) + "\n</tool_response>";
                Map<String, Object> previous = out.isEmpty() ? null : out.getLast();
                if (previous != null && Boolean.TRUE.equals(previous.get("_tool_responses"))) {
                    previous.put("content", previous.get("content") + "\n" + response);
                } else {
                    Map<String, Object> user = turn("user", response);
                    user.put("_tool_responses", true);
                    out.add(user);
                }
            } else if ("assistant".equals(role) && message.get("tool_calls") instanceof List<?> calls
                    && !calls.isEmpty()) {
                StringBuilder content = new StringBuilder(text(message));
                for (Object call : calls) {
                    if (!content.isEmpty()) {
                        content.append('\n');
                    }
                    content.append("<tool_call>\n").append(callJson(call)).append("\n</tool_call>");
                }
                out.add(turn("assistant", content.toString()));
            } else {
                out.add(turn(String.valueOf(role), text(message)));
            }
        }
        out.forEach(m -> m.remove("_tool_responses"));
        return out;
    }

    /** Qwen 2.5's words for the tools, the text its instruction tuning (and Hermes') taught. */
    private static String toolsSection(List<Map<String, Object>> tools) {
        StringBuilder text = new StringBuilder("# Tools\n\nYou may call one or more functions to assist with the "
                + "user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n"
                + "<tools>");
        for (Map<String, Object> tool : tools) {
            text.append('\n').append(PythonJsonFilter.dumps(tool, -1));
        }
        return text.append("\n</tools>\n\nFor each function call, return a json object with function name and "
                + "arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, "
                + "\"arguments\": <args-json-object>}\n</tool_call>").toString();
    }

    private static String callJson(Object call) {
        Object function = call instanceof Map<?, ?> map && map.get("function") instanceof Map<?, ?> f ? f : call;
        Map<String, Object> written = new LinkedHashMap<>();
        if (function instanceof Map<?, ?> f) {
            written.put("name", f.get("name"));
            written.put("arguments", f.get("arguments"));
        }
        return PythonJsonFilter.dumps(written, -1);
    }

    private static String text(Map<String, Object> message) {
        Object content = message.get("content");
        return content == null ? "" : content.toString();
    }

    private static Map<String, Object> turn(String role, String content) {
        Map<String, Object> turn = new LinkedHashMap<>();
        turn.put("role", role);
        turn.put("content", content);
        return turn;
    }
}
