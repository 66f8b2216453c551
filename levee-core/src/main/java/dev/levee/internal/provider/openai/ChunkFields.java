package dev.levee.internal.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * The few fields levee needs from a {@code chat.completion.chunk}, read with Jackson's streaming
 * parser: a stream carries one of these per token, and building a tree for each was the largest
 * cost of relaying it. Anything it does not recognise is skipped; {@link #error} tells the caller to
 * look closer.
 *
 * <p>Every chunk of a stream has the same fields in the same order, so the parser is told which name
 * to expect next ({@link JsonParser#nextFieldName(SerializableString)}): a name that matches is
 * compared as bytes and needs no lookup in the name table, which was a third of the parse. Values
 * levee already holds — the id and fingerprint after the first chunk, a model that has not changed —
 * are compared or skipped, not made into strings.
 */
final class ChunkFields {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The order OpenAI writes a chunk's fields in: the object's, a choice's and a delta's. */
    private static final SerializedString[] ROOT = names("id", "object", "created", "model", "service_tier",
            "system_fingerprint", "choices", "usage");
    private static final SerializedString[] CHOICE = names("index", "delta", "logprobs", "finish_reason");
    private static final SerializedString[] DELTA = names("content");

    private final boolean wantProvenance;
    private final String knownModel;

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

    /**
     * @param wantProvenance whether to read the id, creation time and fingerprint (once per stream)
     * @param knownModel the model the stream named last, kept when a chunk names it again
     */
    ChunkFields(boolean wantProvenance, String knownModel) {
        this.wantProvenance = wantProvenance;
        this.knownModel = knownModel;
    }

    private static SerializedString[] names(String... names) {
        SerializedString[] out = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = new SerializedString(names[i]);
        }
        return out;
    }

    /**
     * The next member's name, or null at the object's end; {@code order[at]} is the guess. The
     * caller moves {@code at} past the name it got ({@link #after}).
     */
    private static String nextName(JsonParser p, SerializableString[] order, int at) throws IOException {
        p.nextFieldName(order[at < order.length ? at : 0]);
        return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
    }

    /** Where {@code name} sits in {@code order}, plus one: the next guess. An unknown name keeps {@code at}. */
    private static int after(SerializedString[] order, String name, int at) {
        if (at < order.length && order[at].getValue() == name) { // the guess was right: the same instance
            return at + 1;
        }
        for (int i = 0; i < order.length; i++) {
            if (order[i].getValue().equals(name)) {
                return i + 1;
            }
        }
        return at;
    }

    /** The current string value, as {@code known} when it spells the same. */
    private static String text(JsonParser p, String known) throws IOException {
        if (known != null && known.length() == p.getTextLength()) {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            boolean same = true;
            for (int i = 0; i < known.length() && same; i++) {
                same = chars[offset + i] == known.charAt(i);
            }
            if (same) {
                return known;
            }
        }
        return p.getText();
    }

    /**
     * Reads {@code data}, UTF-8 as it arrived; false when it is not a JSON object (or not UTF-8).
     * From bytes: Jackson's UTF-8 parser and its byte-quad name table are markedly cheaper per chunk
     * than the char parser (a profile of the SSE relay had a third of the parse in
     * CharsToNameCanonicalizer).
     */
    boolean read(byte[] data) {
        try (JsonParser p = FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int at = 0;
            for (String name; (name = nextName(p, ROOT, at)) != null; ) {
                at = after(ROOT, name, at);
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> model = value == JsonToken.VALUE_STRING ? text(p, knownModel) : model;
                    case "id" -> id = wantProvenance && value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "created" -> created = wantProvenance && value == JsonToken.VALUE_NUMBER_INT
                            ? p.getLongValue() : null;
                    case "system_fingerprint" -> systemFingerprint = wantProvenance && value == JsonToken.VALUE_STRING
                            ? p.getText() : null;
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
            int at = 0;
            for (String name; (name = nextName(p, CHOICE, at)) != null; ) {
                at = after(CHOICE, name, at);
                JsonToken v = p.nextToken();
                if ("finish_reason".equals(name) && v == JsonToken.VALUE_STRING) {
                    finishReason = p.getText();
                } else if ("logprobs".equals(name) && v != JsonToken.VALUE_NULL) {
                    complex = true;
                    p.skipChildren();
                } else if ("delta".equals(name) && v == JsonToken.START_OBJECT) {
                    for (String field; (field = nextName(p, DELTA, 0)) != null; ) {
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
