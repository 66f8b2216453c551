package dev.levee;

/**
 * Where a route stands against its service-level objectives, over the last five minutes and the last
 * hour. A burn rate is how fast the error budget is being spent: 1 spends exactly the budget over the
 * SLO's period, 14.4 spends 2 % of a 30-day budget in an hour (a page).
 *
 * @param availabilityTarget the share of requests to be answered, e.g. 0.999
 * @param latencyTargetMillis answers (a stream's first token) within this …
 * @param latencyPercentile … for this share of them, e.g. 0.95
 * @param requests1h the requests that count, in the last hour
 * @param failed1h of which failed by levee or its providers
 * @param slow1h answered later than the latency target
 */
public record SloStatus(String route, double availabilityTarget, double latencyTargetMillis,
                        double latencyPercentile, long requests1h, long failed1h, long slow1h,
                        double availabilityBurn5m, double availabilityBurn1h, double latencyBurn5m,
                        double latencyBurn1h) {
}
