package dev.levee.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;

/** levee's answers in OpenAI's shapes: {@code chat.completion} and {@code chat.completion.chunk}. */
final class ChatCompletionResponse {
    private ChatCompletionResponse() {
    }

    static String completionId(String requestId) {
        return "chatcmpl-" + requestId;
    }

    static ObjectNode completion(ChatResponse r, long created) {
        ObjectNode root = header(completionId(r.requestId()), "chat.completion", created, r.modelUsed());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", r.text());
        choice.put("finish_reason", r.finishReason().wireName());
        usage(root, r.usage());
        return root;
    }

    /** A chunk with a delta; {@code role} only on the first, {@code finish} only on the last. */
    static ObjectNode chunk(String id, long created, String model, String role, String content, FinishReason finish) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish.wireName());
        }
        return root;
    }

    /**
     * A content chunk, written straight to bytes: the hot path of a stream, so no tree is built —
     * the fixed parts come from {@code prefix} (see {@link #contentPrefix}) and only the text is
     * escaped.
     */
    static Buffer contentChunk(byte[] prefix, String content) {
        byte[] text = ESCAPER.quoteAsUTF8(content);
        return Buffer.buffer(prefix.length + text.length + CONTENT_SUFFIX.length + 1)
                .appendBytes(prefix).appendBytes(text).appendBytes(CONTENT_SUFFIX);
    }

    /** The bytes of a content chunk up to the opening quote of its text. */
    static byte[] contentPrefix(String id, long created, String model) {
        String json = Json.write(header(id, "chat.completion.chunk", created, model)).toString(StandardCharsets.UTF_8);
        return (json.substring(0, json.length() - 1) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private static final byte[] CONTENT_SUFFIX = "\"},\"finish_reason\":null}]}".getBytes(StandardCharsets.UTF_8);

    /** The {@code stream_options.include_usage} chunk: no choices, the usage. */
    static ObjectNode usageChunk(String id, long created, String model, Usage usage) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        root.putArray("choices");
        usage(root, usage);
        return root;
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static void usage(ObjectNode root, Usage usage) {
        root.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }
}
