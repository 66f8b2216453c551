package dev.levee.otel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.levee.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Prompts and answers in the GenAI semconv message format ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}): {@code [{"role":"user","parts":[{"type":"text","content":"…"}]}]}.
 * Only used when content capture is on.
 */
final class ContentJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ContentJson() {
    }

    static String input(List<Message> messages) {
        return write(g -> {
            g.writeStartArray();
            for (Message m : messages) {
                g.writeStartObject();
                g.writeStringField("role", m.role().wireName());
                textParts(g, m.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static String output(String text, String finishReason) {
        return write(g -> {
            g.writeStartArray();
            g.writeStartObject();
            g.writeStringField("role", "assistant");
            textParts(g, text);
            g.writeStringField("finish_reason", finishReason);
            g.writeEndObject();
            g.writeEndArray();
        });
    }

    private static void textParts(JsonGenerator g, String text) throws IOException {
        g.writeArrayFieldStart("parts");
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("content", text);
        g.writeEndObject();
        g.writeEndArray();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
