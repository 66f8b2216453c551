package dev.levee.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Totals over the usage ledger, for the admin API and the command line. May block: call off the event loop. */
@FunctionalInterface
public interface UsageReports {
    List<Total> report(Query query);

    /** What the totals are grouped by. */
    enum GroupBy {
        KEY, TEAM, USER, ROUTE, MODEL, DAY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rows with {@code from <= at < to}, grouped. */
    record Query(GroupBy groupBy, Instant from, Instant to) {
        public Query {
            if (groupBy == null || from == null || to == null) {
                throw new IllegalArgumentException("group_by, from and to are required");
            }
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
        }
    }

    /** One group's totals; {@code group} is {@code null} for rows without that attribute. */
    record Total(String group, long requests, long errors, long promptTokens, long completionTokens,
                 long costNanos) {
        public BigDecimal costUsd() {
            return BigDecimal.valueOf(costNanos, 9);
        }
    }
}
