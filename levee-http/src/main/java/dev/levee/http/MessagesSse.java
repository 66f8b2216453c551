package dev.levee.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.levee.ChatChunk;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.ToolCallDelta;
import dev.levee.spi.LiveStream;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's stream: {@code message_start}, then per content block {@code content_block_start},
 * its {@code content_block_delta}s ({@code text_delta}, {@code input_json_delta}) and {@code
 * content_block_stop}, then {@code message_delta} (stop reason, usage) and {@code message_stop}.
 * Text opens a text block; each tool call a {@code tool_use} block, whose argument pieces are relayed
 * as they come.
 */
final class MessagesSse implements SseFormat {
    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private static final byte[] TEXT_DELTA_END = "\"}}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final LiveStream stream;
    private final String id;
    private final String requestId;
    /** The index of the next block, and of the open one (-1: none). */
    private int blocks;
    private int open = -1;
    /** The tool call (its index in levee's deltas) the open block carries; -1 for a text block. */
    private int openCall = -1;
    private String openId;
    private byte[] textDeltaPrefix;

    MessagesSse(LiveStream stream, String requestId) {
        this.stream = stream;
        this.id = MessagesResponse.id(stream.provenance(), requestId);
        this.requestId = requestId;
    }

    @Override
    public void open(Buffer out) {
        // Usage is known at the end only: message_delta carries it; here it is zero, as Anthropic allows.
        frame(out, "message_start", g -> {
            g.writeStringField("type", "message_start");
            g.writeObjectFieldStart("message");
            g.writeStringField("id", id);
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", stream.model());
            g.writeArrayFieldStart("content");
            g.writeEndArray();
            g.writeNullField("stop_reason");
            g.writeNullField("stop_sequence");
            MessagesResponse.usage(g, dev.levee.Usage.NONE);
            g.writeEndObject();
        });
    }

    @Override
    public void chunk(ChatChunk chunk, Buffer out) {
        if (!chunk.text().isEmpty()) {
            if (open < 0 || openCall >= 0) {
                start(out, -1, null, null);
            }
            out.appendBytes(textDeltaPrefix).appendBytes(ESCAPER.quoteAsUTF8(chunk.text())).appendBytes(TEXT_DELTA_END);
        }
        for (ToolCallDelta d : chunk.toolCalls()) {
            if (open < 0 || openCall != d.index() || (d.id() != null && !d.id().equals(openId))) {
                start(out, d.index(), d.id() != null ? d.id() : "toolu_" + requestId + "_" + d.index(), d.name());
            }
            if (!d.arguments().isEmpty()) {
                int index = open;
                frame(out, "content_block_delta", g -> {
                    g.writeStringField("type", "content_block_delta");
                    g.writeNumberField("index", index);
                    g.writeObjectFieldStart("delta");
                    g.writeStringField("type", "input_json_delta");
                    g.writeStringField("partial_json", d.arguments());
                    g.writeEndObject();
                });
            }
        }
    }

    /** Closes the open block and opens the next: a text block ({@code call} -1) or a tool_use block. */
    private void start(Buffer out, int call, String toolId, String name) {
        stop(out);
        open = blocks++;
        openCall = call;
        openId = toolId;
        int index = open;
        frame(out, "content_block_start", g -> {
            g.writeStringField("type", "content_block_start");
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("content_block");
            if (call < 0) {
                g.writeStringField("type", "text");
                g.writeStringField("text", "");
            } else {
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", toolId);
                g.writeStringField("name", name == null ? "" : name);
                g.writeObjectFieldStart("input");
                g.writeEndObject();
            }
            g.writeEndObject();
        });
        if (call < 0) {
            textDeltaPrefix = ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index
                    + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private void stop(Buffer out) {
        if (open >= 0) {
            int index = open;
            frame(out, "content_block_stop", g -> {
                g.writeStringField("type", "content_block_stop");
                g.writeNumberField("index", index);
            });
            open = -1;
        }
    }

    @Override
    public void close(ChatResponse r, Buffer out) {
        stop(out);
        frame(out, "message_delta", g -> {
            g.writeStringField("type", "message_delta");
            g.writeObjectFieldStart("delta");
            g.writeStringField("stop_reason", MessagesResponse.stopReason(r.finishReason()));
            g.writeNullField("stop_sequence");
            g.writeEndObject();
            MessagesResponse.usage(g, r.usage());
        });
        frame(out, "message_stop", g -> g.writeStringField("type", "message_stop"));
    }

    @Override
    public void error(LeveeException e, Buffer out) {
        ApiError error = ApiError.of(e);
        appendFrame(out, "error", MessagesResponse.error(MessagesEndpoint.errorType(error.status()),
                "the answer was interrupted: " + e.getMessage(), requestId));
    }

    private static void frame(Buffer out, String event, Json.Fields fields) {
        appendFrame(out, event, Json.object(fields));
    }

    private static void appendFrame(Buffer out, String event, Buffer json) {
        out.appendString("event: ").appendString(event).appendString("\ndata: ").appendBuffer(json).appendString("\n\n");
    }
}
