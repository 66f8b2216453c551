package dev.levee.internal.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.levee.FinishReason;
import dev.levee.Provenance;
import java.util.List;
import dev.levee.Usage;
import dev.levee.internal.provider.Finish;
import dev.levee.spi.ProviderReply;
import java.io.IOException;

/**
 * A {@code chat.completion} read with Jackson's streaming parser: model, the first choice's message
 * content and finish reason, and the usage — everything else is skipped unread. Building a tree
 * of the whole body and walking it cost several times as much. Only the well-formed case is read
 * here: {@link #read} returns {@code null} for anything else, and the adapter then takes the tree
 * path, which names what is wrong.
 */
final class CompletionFields {
    private static final JsonFactory FACTORY = new JsonFactory();

    private String model;
    private String id;
    private Long created;
    private String systemFingerprint;
    /** Tool calls or log probabilities: the tree path reads those. */
    private boolean complex;
    private String content;
    private String finishReason;
    private boolean hasMessage;
    private boolean hasUsage;
    private int promptTokens;
    private int completionTokens;
    private int totalTokens = -1;
    private int cachedTokens;

    private CompletionFields() {
    }

    /** The reply in {@code body}, or {@code null} when it is not a plain, complete completion. */
    static ProviderReply read(byte[] body) {
        CompletionFields f = new CompletionFields();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !f.readRoot(p) || p.nextToken() != null || !f.hasMessage
                    || f.complex) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        FinishReason finish = Finish.of(f.finishReason);
        Usage usage = f.hasUsage ? new Usage(f.promptTokens, f.completionTokens,
                f.totalTokens >= 0 ? f.totalTokens : f.promptTokens + f.completionTokens, false, f.cachedTokens) : null;
        return new ProviderReply(f.content == null ? "" : f.content, f.model, usage,
                finish == null ? FinishReason.STOP : finish, List.of(), null,
                f.id == null && f.created == null && f.systemFingerprint == null ? Provenance.NONE
                        : new Provenance(f.id, f.created, f.systemFingerprint));
    }

    private boolean readRoot(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "created" -> created = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "system_fingerprint" -> systemFingerprint = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "choices" -> {
                    if (value != JsonToken.START_ARRAY || !readChoices(p)) {
                        return false;
                    }
                }
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) {
                        if (!readUsage(p)) {
                            return false;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return true;
    }

    private boolean readChoices(JsonParser p) throws IOException {
        boolean first = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (!first || t != JsonToken.START_OBJECT) {
                if (first) {
                    return false; // choices[0] is not an object
                }
                p.skipChildren();
                continue;
            }
            first = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("message".equals(name) && value == JsonToken.START_OBJECT) {
                    hasMessage = true;
                    readMessage(p);
                } else if ("finish_reason".equals(name) && value == JsonToken.VALUE_STRING) {
                    finishReason = p.getText();
                } else if ("logprobs".equals(name) && value != JsonToken.VALUE_NULL) {
                    complex = true;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
        }
        return true;
    }

    private void readMessage(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("content".equals(name) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                content = p.getText();
            } else if ("tool_calls".equals(name) && value != JsonToken.VALUE_NULL) {
                complex = true;
                p.skipChildren();
            } else {
                p.skipChildren();
            }
        }
    }

    /** False when {@code prompt_tokens} is there but not a whole number: the tree path decides. */
    private boolean readUsage(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            boolean integer = value == JsonToken.VALUE_NUMBER_INT;
            switch (name) {
                case "prompt_tokens" -> {
                    if (!integer) {
                        return false;
                    }
                    promptTokens = p.getIntValue();
                    hasUsage = true;
                }
                case "completion_tokens" -> {
                    if (!integer) {
                        return false;
                    }
                    completionTokens = p.getIntValue();
                }
                case "total_tokens" -> {
                    if (!integer) {
                        return false;
                    }
                    totalTokens = p.getIntValue();
                }
                case "prompt_tokens_details" -> {
                    if (value == JsonToken.START_OBJECT) {
                        cachedTokens = cachedTokens(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return true;
    }

    /** {@code prompt_tokens_details.cached_tokens}, the parser inside that object; 0 when absent. */
    static int cachedTokens(JsonParser p) throws IOException {
        int cached = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("cached_tokens".equals(name) && v == JsonToken.VALUE_NUMBER_INT) {
                cached = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return cached;
    }
}
