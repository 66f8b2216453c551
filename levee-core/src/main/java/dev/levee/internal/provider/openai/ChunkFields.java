package dev.levee.internal.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The few fields levee needs from a {@code chat.completion.chunk}, read with Jackson's streaming
 * parser: a stream carries one of these per token, and building a tree for each was the largest
 * cost of relaying it. Anything it does not recognise is skipped; {@link #error} tells the caller to
 * look closer.
 */
final class ChunkFields {
    private static final JsonFactory FACTORY = new JsonFactory();

    String model;
    String content;
    String finishReason;
    boolean hasUsage;
    int promptTokens;
    int completionTokens;
    int totalTokens = -1;
    int cachedTokens;
    /** The chunk carries an {@code error} member: parse it as a tree for the message. */
    boolean error;
    /** The chunk carries tool calls or log probabilities: read it as a tree. */
    boolean complex;
    String id;
    Long created;
    String systemFingerprint;

    /** Reads {@code data}; false when it is not a JSON object. */
    boolean read(String data) {
        // From bytes: Jackson's UTF-8 parser and its byte-quad name table are markedly cheaper per
        // chunk than the char parser (a profile of the SSE relay had a third of the parse in
        // CharsToNameCanonicalizer); a chunk's string is almost always ASCII, so the copy is a memcpy.
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : model;
                    case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "created" -> created = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "system_fingerprint" -> systemFingerprint = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error" -> {
                        error = value != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "usage" -> readUsage(p, value);
                    case "choices" -> readChoices(p, value);
                    default -> p.skipChildren();
                }
            }
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private void readUsage(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NUMBER_INT) {
                switch (name) {
                    case "prompt_tokens" -> {
                        promptTokens = p.getIntValue();
                        hasUsage = true;
                    }
                    case "completion_tokens" -> completionTokens = p.getIntValue();
                    case "total_tokens" -> totalTokens = p.getIntValue();
                    default -> { }
                }
            } else if ("prompt_tokens_details".equals(name) && v == JsonToken.START_OBJECT) {
                cachedTokens = CompletionFields.cachedTokens(p);
            } else {
                p.skipChildren();
            }
        }
    }

    /** Only the first choice counts: levee asks for one. */
    private void readChoices(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        boolean first = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (!first) {
                p.skipChildren();
                continue;
            }
            first = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("finish_reason".equals(name) && v == JsonToken.VALUE_STRING) {
                    finishReason = p.getText();
                } else if ("logprobs".equals(name) && v != JsonToken.VALUE_NULL) {
                    complex = true;
                    p.skipChildren();
                } else if ("delta".equals(name) && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken d = p.nextToken();
                        if ("content".equals(field) && d == JsonToken.VALUE_STRING) {
                            content = p.getText();
                        } else {
                            complex |= "tool_calls".equals(field) && d != JsonToken.VALUE_NULL;
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }
}
