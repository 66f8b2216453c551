package dev.levee.internal.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** Budget periods on the UTC calendar: a day, a week from Monday, a month from its first day. */
final class Periods {
    private Periods() {
    }

    static LocalDate start(String period, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case "day" -> day;
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> day.withDayOfMonth(1);
            default -> throw new IllegalArgumentException("unknown budget period " + period);
        };
    }

    static Instant end(String period, Instant now) {
        LocalDate start = start(period, now);
        LocalDate next = switch (period) {
            case "day" -> start.plusDays(1);
            case "week" -> start.plusWeeks(1);
            default -> start.plusMonths(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
