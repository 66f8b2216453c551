package dev.levee.internal.observe.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An alert as Slack-compatible JSON: a top-level {@code text} (all Slack needs), a legacy attachment
 * with a colour and short fields, and {@code levee_alert} with every field for other receivers.
 */
final class AlertPayload {
    private AlertPayload() {
    }

    static JsonObject of(Alert alert) {
        JsonArray fields = new JsonArray();
        for (Map.Entry<String, String> f : alert.fields().entrySet()) {
            fields.add(field(f.getKey(), f.getValue()));
        }
        fields.add(field("count", String.valueOf(alert.count())));
        fields.add(field("first_seen", alert.firstSeen().toString()));
        fields.add(field("last_seen", alert.lastSeen().toString()));
        JsonObject attachment = new JsonObject()
                .put("color", color(alert))
                .put("title", alert.title())
                .put("text", alert.text())
                .put("fields", fields)
                .put("footer", "levee")
                .put("ts", alert.lastSeen().getEpochSecond());
        JsonObject details = new JsonObject()
                .put("kind", alert.kind().wireName())
                .put("severity", alert.severity().wireName())
                .put("key", alert.key())
                .put("title", alert.title())
                .put("text", alert.text())
                .put("count", alert.count())
                .put("first_seen", alert.firstSeen().toString())
                .put("last_seen", alert.lastSeen().toString())
                .put("resolved", alert.resolved())
                .put("fields", new JsonObject(new java.util.LinkedHashMap<>(alert.fields())));
        return new JsonObject()
                .put("text", "levee " + alert.summary())
                .put("attachments", new JsonArray().add(attachment))
                .put("levee_alert", details);
    }

    private static JsonObject field(String title, String value) {
        return new JsonObject().put("title", title).put("value", value).put("short", value.length() <= 40);
    }

    private static String color(Alert alert) {
        if (alert.resolved()) {
            return "good";
        }
        return alert.severity() == Alert.Severity.CRITICAL ? "danger" : "warning";
    }
}
