package dev.levee.config;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;

/**
 * Limits on one caller (a virtual key) or one team. Every field is optional: {@code null} means no
 * limit of that kind.
 *
 * @param rpm requests per minute, in every rolling minute
 * @param tpm tokens (prompt + completion) per minute, in every rolling minute
 * @param maxConcurrent requests in flight at once
 * @param budgetUsd spend per {@code budgetPeriod}, exact
 * @param budgetPeriod {@code day}, {@code week} or {@code month} (UTC calendar; weeks start on Monday);
 *     required with a budget
 * @param priority {@code critical}, {@code standard} or {@code batch}: who is shed last under load
 *     (a key's, not a team's)
 */
public record Quota(Integer rpm, Integer tpm, Integer maxConcurrent, BigDecimal budgetUsd, String budgetPeriod,
                    String priority) {
    public static final Quota NONE = new Quota(null, null, null, null, null, null);
    public static final Set<String> PERIODS = Set.of("day", "week", "month");
    public static final Set<String> PRIORITIES = Set.of("critical", "standard", "batch");

    public Quota {
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

    /**
     * The UTC calendar day a budget period began on: the day, the week from Monday, the month from
     * its first day. The one definition the limits count by and the budget report reads by.
     */
    public static LocalDate periodStart(String period, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case "day" -> day;
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> day.withDayOfMonth(1);
            default -> throw new IllegalArgumentException("unknown budget period " + period);
        };
    }

    /** The instant the budget period that holds {@code now} ends (and the next begins). */
    public static Instant periodEnd(String period, Instant now) {
        LocalDate start = periodStart(period, now);
        LocalDate next = switch (period) {
            case "day" -> start.plusDays(1);
            case "week" -> start.plusWeeks(1);
            default -> start.plusMonths(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** This quota's limits where it sets them, {@code defaults}' elsewhere. */
    public Quota over(Quota defaults) {
        boolean ownBudget = budgetUsd != null;
        return new Quota(rpm != null ? rpm : defaults.rpm, tpm != null ? tpm : defaults.tpm,
                maxConcurrent != null ? maxConcurrent : defaults.maxConcurrent,
                ownBudget ? budgetUsd : defaults.budgetUsd, ownBudget ? budgetPeriod : defaults.budgetPeriod,
                priority != null ? priority : defaults.priority);
    }

    /** Whether any count is limited (a priority alone limits nothing). */
    public boolean limitsAnything() {
        return rpm != null || tpm != null || maxConcurrent != null || budgetUsd != null;
    }

    private static void positive(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1");
        }
    }
}
