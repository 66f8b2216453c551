package dev.levee.spi;

import dev.levee.config.Quota;
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
    public static final Set<String> PERIODS = Quota.PERIODS;
    public static final Set<String> PRIORITIES = Quota.PRIORITIES;

    public KeyLimits {
        new Quota(rpm, tpm, maxConcurrent, budgetUsd, budgetPeriod, priority); // the same rules as in config
    }

    /** These limits as the limits link takes them. */
    public Quota quota() {
        return new Quota(rpm, tpm, maxConcurrent, budgetUsd, budgetPeriod, priority);
    }
}
