package dev.levee.spi;

import java.math.BigDecimal;
import java.util.Set;

/**
 * The limits a virtual key carries (enforced by the limits link, not by authentication). Every field
 * is optional: {@code null} means no limit of that kind.
 *
 * @param rpm requests per minute
 * @param tpm tokens (prompt + completion) per minute
 * @param maxConcurrent requests in flight at once
 * @param budgetUsd spend per {@code budgetPeriod}, exact
 * @param budgetPeriod {@code day}, {@code week} or {@code month} (UTC calendar); required with a budget
 * @param priority {@code critical}, {@code standard} or {@code batch}: who is shed last under load
 */
public record KeyLimits(Integer rpm, Integer tpm, Integer maxConcurrent, BigDecimal budgetUsd, String budgetPeriod,
                        String priority) {
    public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null, null);
    public static final Set<String> PERIODS = Set.of("day", "week", "month");
    public static final Set<String> PRIORITIES = Set.of("critical", "standard", "batch");

    public KeyLimits {
        positive("rpm", rpm);
        positive("tpm", tpm);
        positive("max_concurrent", maxConcurrent);
        if (budgetUsd != null && budgetUsd.signum() < 0) {
            throw new IllegalArgumentException("budget_usd must be >= 0");
        }
        if (budgetPeriod != null && !PERIODS.contains(budgetPeriod)) {
            throw new IllegalArgumentException("budget_period must be one of day, week, month");
        }
        if (budgetUsd != null && budgetPeriod == null) {
            throw new IllegalArgumentException("budget_period is required with budget_usd");
        }
        if (priority != null && !PRIORITIES.contains(priority)) {
            throw new IllegalArgumentException("priority must be one of critical, standard, batch");
        }
    }

    private static void positive(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1");
        }
    }
}
