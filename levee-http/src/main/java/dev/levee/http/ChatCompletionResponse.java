package dev.levee.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import dev.levee.ToolCall;
import dev.levee.ToolCallDelta;
import dev.levee.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** levee's answers in OpenAI's shapes: {@code chat.completion} and {@code chat.completion.chunk}. */
final class ChatCompletionResponse {
    private ChatCompletionResponse() {
    }

    static String completionId(String requestId) {
        return "chatcmpl-" + requestId;
    }

    /** The provider's id for the answer when it gave one, else levee's. */
    static String id(Provenance p, String requestId) {
        return p.id() != null ? p.id() : completionId(requestId);
    }

    static long created(Provenance p, long created) {
        return p.created() != null ? p.created() : created;
    }

    static Buffer completion(ChatResponse r, long created) {
        Provenance p = r.provenance();
        return write(id(p, r.requestId()), "chat.completion", created(p, created), r.modelUsed(), g -> {
            if (p.systemFingerprint() != null) {
                g.writeStringField("system_fingerprint", p.systemFingerprint());
            }
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            if (r.text().isEmpty() && !r.toolCalls().isEmpty()) {
                g.writeNullField("content");
            } else {
                g.writeStringField("content", r.text());
            }
            if (!r.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall c : r.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringField("id", c.id());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", c.name());
                    g.writeStringField("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            if (r.logprobs() != null) {
                g.writeFieldName("logprobs");
                g.writeTree(r.logprobs());
            }
            g.writeStringField("finish_reason", r.finishReason().wireName());
            g.writeEndObject();
            g.writeEndArray();
            usage(g, r.usage());
        });
    }

    /** A chunk with tool-call pieces or log probabilities: the general form, off the text-only hot path. */
    static Buffer richChunk(String id, long created, String model, ChatChunk chunk) {
        return write(id, "chat.completion.chunk", created, model, g -> {
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("delta");
            if (!chunk.text().isEmpty()) {
                g.writeStringField("content", chunk.text());
            }
            if (!chunk.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCallDelta d : chunk.toolCalls()) {
                    g.writeStartObject();
                    g.writeNumberField("index", d.index());
                    if (d.id() != null) {
                        g.writeStringField("id", d.id());
                        g.writeStringField("type", "function");
                    }
                    g.writeObjectFieldStart("function");
                    if (d.name() != null) {
                        g.writeStringField("name", d.name());
                    }
                    g.writeStringField("arguments", d.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            if (chunk.logprobs() != null) {
                g.writeFieldName("logprobs");
                g.writeTree(chunk.logprobs());
            }
            g.writeNullField("finish_reason");
            g.writeEndObject();
            g.writeEndArray();
        });
    }

    /** A chunk with a delta; {@code role} only on the first, {@code finish} only on the last. */
    static Buffer chunk(String id, long created, String model, String role, String content, FinishReason finish) {
        return write(id, "chat.completion.chunk", created, model, g -> {
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("delta");
            if (role != null) {
                g.writeStringField("role", role);
            }
            if (content != null) {
                g.writeStringField("content", content);
            }
            g.writeEndObject();
            g.writeStringField("finish_reason", finish == null ? null : finish.wireName());
            g.writeEndObject();
            g.writeEndArray();
        });
    }

    /**
     * Appends a content chunk to {@code out}: the hot path of a stream, so no tree and no
     * intermediate buffer — the fixed parts come from {@code prefix} (see {@link #contentPrefix})
     * and only the text is escaped.
     */
    static void appendContentChunk(Buffer out, byte[] prefix, String content) {
        out.appendBytes(prefix).appendBytes(ESCAPER.quoteAsUTF8(content)).appendBytes(CONTENT_SUFFIX);
    }

    /** The bytes of a content chunk up to the opening quote of its text. */
    static byte[] contentPrefix(String id, long created, String model) {
        String json = write(id, "chat.completion.chunk", created, model, g -> { }).toString(StandardCharsets.UTF_8);
        return (json.substring(0, json.length() - 1) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private static final byte[] CONTENT_SUFFIX = "\"},\"finish_reason\":null}]}".getBytes(StandardCharsets.UTF_8);

    /** The {@code stream_options.include_usage} chunk: no choices, the usage. */
    static Buffer usageChunk(String id, long created, String model, Usage usage) {
        return write(id, "chat.completion.chunk", created, model, g -> {
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage(g, usage);
        });
    }

    /**
     * An object with the header every answer starts with ({@code id}, {@code object}, {@code
     * created}, {@code model}), then {@code fields}.
     */
    private static Buffer write(String id, String object, long created, String model, Json.Fields fields) {
        return Json.object(g -> {
            g.writeStringField("id", id);
            g.writeStringField("object", object);
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            fields.write(g);
        });
    }

    /** The usage; {@code estimated: true} when levee counted it because the provider reported none. */
    private static void usage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", usage.promptTokens());
        g.writeNumberField("completion_tokens", usage.completionTokens());
        g.writeNumberField("total_tokens", usage.totalTokens());
        if (usage.estimated()) {
            g.writeBooleanField("estimated", true);
        }
        g.writeEndObject();
    }
}
