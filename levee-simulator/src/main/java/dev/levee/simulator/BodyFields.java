package dev.levee.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.simulator.ChatCall.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Type checks on request bodies shared by the wire formats; each failure names the field. */
final class BodyFields {

    private BodyFields() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("The request body must be a JSON object.", null);
        }
        return body;
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new BadRequest(field + ": field required", field);
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest(field + ": must be a non-empty string", field);
        }
        return value.asText();
    }

    static Integer optionalInt(JsonNode body, String field, int min) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new BadRequest(field + ": must be an integer", field);
        }
        if (value.intValue() < min) {
            throw new BadRequest(field + ": must be at least " + min, field);
        }
        return value.intValue();
    }

    static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new BadRequest(field + ": must be a boolean", field);
        }
        return value.booleanValue();
    }

    /** Sampling knobs are accepted and recorded but never change the answer; only their types are checked. */
    static void optionalNumbers(JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull() && !value.isNumber()) {
                throw new BadRequest(field + ": must be a number", field);
            }
        }
    }

    static List<Turn> turns(JsonNode body, Set<String> roles, boolean nonEmpty) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw new BadRequest("messages: field required", "messages");
        }
        if (!messages.isArray()) {
            throw new BadRequest("messages: must be an array", "messages");
        }
        if (nonEmpty && messages.isEmpty()) {
            throw new BadRequest("messages: must contain at least one message", "messages");
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            if (!message.isObject()) {
                throw new BadRequest(where + ": must be an object", "messages");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !roles.contains(role.asText())) {
                throw new BadRequest(where + ".role: must be one of " + roles, "messages");
            }
            turns.add(new Turn(role.asText(), text(message.get("content"), where + ".content")));
        }
        return turns;
    }

    /** Content as a string, or an array of blocks whose {@code text} parts are joined; other blocks count as nothing. */
    static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new BadRequest(where + ": must be a string or an array of content blocks", "messages");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (!block.isObject()) {
                throw new BadRequest(where + ": content blocks must be objects", "messages");
            }
            if (block.path("text").isTextual()) {
                text.append(block.get("text").asText());
            }
        }
        return text.toString();
    }
}
