package dev.levee.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.spi.UsageReports;
import dev.levee.spi.UsageReports.GroupBy;
import dev.levee.spi.UsageReports.Total;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** {@code GET /levee/admin/usage?group_by=…&from=…&to=…}: the query, and its answer as JSON or CSV. */
final class UsageQueries {
    static final Duration DEFAULT_SPAN = Duration.ofDays(30);

    private UsageQueries() {
    }

    static UsageReports.Query parse(MultiMap params) throws ChatCompletionRequest.Invalid {
        String by = params.get("group_by");
        GroupBy groupBy;
        try {
            groupBy = by == null ? GroupBy.KEY : GroupBy.valueOf(by.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ChatCompletionRequest.Invalid("group_by", "group_by must be one of key, team, user, route,"
                    + " model, day");
        }
        Instant to = time(params.get("to"), "to", Instant.now());
        Instant from = time(params.get("from"), "from", to.minus(DEFAULT_SPAN));
        if (!from.isBefore(to)) {
            throw new ChatCompletionRequest.Invalid("from", "from must be before to");
        }
        return new UsageReports.Query(groupBy, from, to);
    }

    /** An instant (2026-12-01T00:00:00Z) or a UTC date (2026-12-01, its start). */
    private static Instant time(String text, String param, Instant fallback) throws ChatCompletionRequest.Invalid {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ChatCompletionRequest.Invalid(param, param + " must be a date (2026-12-01) or an instant"
                    + " (2026-12-01T12:00:00Z)");
        }
    }

    static ObjectNode json(UsageReports.Query q, List<Total> totals) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "usage_report")
                .put("group_by", q.groupBy().label()).put("from", q.from().toString()).put("to", q.to().toString());
        ArrayNode data = body.putArray("data");
        for (Total t : totals) {
            data.addObject().put("group", t.group()).put("requests", t.requests()).put("errors", t.errors())
                    .put("prompt_tokens", t.promptTokens()).put("completion_tokens", t.completionTokens())
                    .put("cost_usd", t.costUsd());
        }
        return body;
    }

    static String csv(UsageReports.Query q, List<Total> totals) {
        StringBuilder out = new StringBuilder(q.groupBy().label())
                .append(",requests,errors,prompt_tokens,completion_tokens,cost_usd\n");
        for (Total t : totals) {
            out.append(cell(t.group())).append(',').append(t.requests()).append(',').append(t.errors()).append(',')
                    .append(t.promptTokens()).append(',').append(t.completionTokens()).append(',')
                    .append(t.costUsd().toPlainString()).append('\n');
        }
        return out.toString();
    }

    /** A CSV cell: quoted when needed, and never starting like a spreadsheet formula. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
