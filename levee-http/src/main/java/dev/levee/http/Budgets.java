package dev.levee.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levee.config.LimitsConfig;
import dev.levee.config.Quota;
import dev.levee.spi.UsageReports;
import dev.levee.spi.VirtualKey;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Budget use per key and team, from the usage ledger: what {@code /levee/admin/budgets} answers. */
final class Budgets {
    private Budgets() {
    }

    /** Runs on a worker: reads the ledger once per period and grouping that a budget needs. */
    static ObjectNode report(LimitsConfig limits, List<VirtualKey> keys, UsageReports usage, Instant now)
            {
        Map<UsageReports.GroupBy, Map<String, Map<String, UsageReports.Total>>> spent = new EnumMap<>(
                UsageReports.GroupBy.class);
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (VirtualKey key : keys) {
            if (key.revoked() || key.expiredAt(now)) {
                continue;
            }
            Quota quota = key.limits().quota().over(limits.keys());
            if (quota.budgetUsd() != null) {
                row(data, "key", key.id(), key.name(), quota, spent(spent, usage, UsageReports.GroupBy.KEY,
                        quota.budgetPeriod(), now).get(key.id()), now);
            }
        }
        for (Map.Entry<String, Quota> team : limits.teams().entrySet()) {
            Quota quota = team.getValue();
            if (quota.budgetUsd() != null) {
                row(data, "team", team.getKey(), team.getKey(), quota, spent(spent, usage,
                        UsageReports.GroupBy.TEAM, quota.budgetPeriod(), now).get(team.getKey()), now);
            }
        }
        return body;
    }

    private static Map<String, UsageReports.Total> spent(
            Map<UsageReports.GroupBy, Map<String, Map<String, UsageReports.Total>>> cache, UsageReports usage,
            UsageReports.GroupBy by, String period, Instant now) {
        Map<String, Map<String, UsageReports.Total>> byPeriod = cache.computeIfAbsent(by, b -> new HashMap<>());
        Map<String, UsageReports.Total> totals = byPeriod.get(period);
        if (totals == null) {
            totals = new HashMap<>();
            for (UsageReports.Total t : usage.report(new UsageReports.Query(by, periodStart(period, now), now))) {
                totals.put(t.group(), t);
            }
            byPeriod.put(period, totals);
        }
        return totals;
    }

    private static void row(ArrayNode data, String scope, String id, String name, Quota quota,
                            UsageReports.Total total, Instant now) {
        BigDecimal spent = total == null ? BigDecimal.ZERO : total.costUsd();
        BigDecimal budget = quota.budgetUsd();
        double used = budget.signum() == 0 ? (spent.signum() > 0 ? 1.0 : 0.0)
                : spent.divide(budget, MathContext.DECIMAL64).doubleValue();
        data.addObject().put("scope", scope).put("id", id).put("name", name).put("budget_usd", budget)
                .put("period", quota.budgetPeriod()).put("period_start", periodStart(quota.budgetPeriod(), now)
                        .toString()).put("spent_usd", spent).put("used", used);
    }

    private static Instant periodStart(String period, Instant now) {
        return Quota.periodStart(period, now).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
