package dev.levee.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.KeySpec;
import dev.levee.spi.VirtualKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** The admin API's key bodies: read field by field (every mistake a 400 naming the field), and written. */
final class KeyRequests {
    private static final Set<String> FIELDS = Set.of("name", "team", "user", "routes", "expires_at", "rpm", "tpm",
            "max_concurrent", "budget_usd", "budget_period", "priority");

    private KeyRequests() {
    }

    static KeySpec spec(JsonNode body, Instant now) throws ChatCompletionRequest.Invalid {
        if (body == null || !body.isObject()) {
            throw new ChatCompletionRequest.Invalid(null, "the request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ChatCompletionRequest.Invalid(field, "unknown field '" + field + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        Instant expiresAt = instant(body, "expires_at");
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new ChatCompletionRequest.Invalid("expires_at", "expires_at must be in the future");
        }
        try {
            KeyLimits limits = new KeyLimits(integer(body, "rpm"), integer(body, "tpm"), integer(body, "max_concurrent"),
                    decimal(body, "budget_usd"), text(body, "budget_period"), text(body, "priority"));
            return new KeySpec(text(body, "name"), text(body, "team"), text(body, "user"), routes(body), expiresAt,
                    limits);
        } catch (IllegalArgumentException e) {
            throw new ChatCompletionRequest.Invalid(null, e.getMessage());
        }
    }

    static ObjectNode json(VirtualKey k, Instant now) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("id", k.id()).put("object", "virtual_key")
                .put("prefix", k.prefix()).put("name", k.name()).put("team", k.team()).put("user", k.user());
        if (k.routes().isEmpty()) {
            n.putNull("routes");
        } else {
            ArrayNode routes = n.putArray("routes");
            k.routes().stream().sorted().forEach(routes::add);
        }
        n.put("status", k.revoked() ? "revoked" : k.expiredAt(now) ? "expired" : "active");
        n.put("created_at", String.valueOf(k.createdAt()));
        n.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        n.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        KeyLimits l = k.limits();
        n.put("rpm", l.rpm()).put("tpm", l.tpm()).put("max_concurrent", l.maxConcurrent())
                .put("budget_usd", l.budgetUsd()).put("budget_period", l.budgetPeriod()).put("priority", l.priority());
        return n;
    }

    private static String text(JsonNode body, String field) throws ChatCompletionRequest.Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ChatCompletionRequest.Invalid(field, field + " must be a string");
        }
        return v.asText();
    }

    private static Integer integer(JsonNode body, String field) throws ChatCompletionRequest.Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ChatCompletionRequest.Invalid(field, field + " must be a whole number");
        }
        return v.asInt();
    }

    /** A budget: a JSON number or a decimal string ("12.50"), kept exact. */
    private static BigDecimal decimal(JsonNode body, String field) throws ChatCompletionRequest.Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            BigDecimal d = v.isNumber() ? v.decimalValue() : v.isTextual() ? new BigDecimal(v.asText().trim()) : null;
            if (d == null || d.scale() > 9 || d.precision() - d.scale() > 12) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ChatCompletionRequest.Invalid(field, field + " must be an amount in USD such as 12.50");
        }
    }

    private static Instant instant(JsonNode body, String field) throws ChatCompletionRequest.Invalid {
        String text = text(body, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ChatCompletionRequest.Invalid(field, field + " must be an ISO-8601 instant such as"
                    + " 2027-01-31T00:00:00Z");
        }
    }

    private static Set<String> routes(JsonNode body) throws ChatCompletionRequest.Invalid {
        JsonNode v = body.get("routes");
        if (v == null || v.isNull()) {
            return Set.of();
        }
        if (!v.isArray() || v.size() > 256) {
            throw new ChatCompletionRequest.Invalid("routes", "routes must be a list of route names (at most 256)");
        }
        Set<String> routes = new LinkedHashSet<>();
        for (JsonNode r : v) {
            if (!r.isTextual() || r.asText().isBlank()) {
                throw new ChatCompletionRequest.Invalid("routes", "routes must contain route names");
            }
            routes.add(r.asText());
        }
        return routes;
    }
}
