package dev.levee.internal.observe.anomaly;

import java.util.SplittableRandom;

/**
 * The timing the detector is shown for one request of the evaluation: modelled the way the
 * simulator schedules an answer (time to first token, then one delay per word piece), with seeded
 * jitter, instead of measured on the wall clock.
 *
 * <p>Why: on the shared 2-core build machine, CPU contention from other builds made "normal"
 * requests take up to 7x their median on the wall clock (load average 5+), so labels given by
 * injection would be wrong in both directions and the figures would depend on the neighbours. The
 * text, tokens, finish reasons, streams and the engine path are real; see
 * {@code BaselineAnomalyDetectorTest} for a real wall-clock spike through the engine.
 *
 * @param stall a hiccup of the network or the provider (up to 2x), part of normal traffic
 */
record Timing(double ttftMs, double tokenMs, double overheadMs, double stall) {

    /**
     * Normal variation: time to first token +-25 %, per-token delay +-10 %, network overhead with a
     * long tail, 3 % hiccups.
     */
    static Timing normal(double ttftMs, double tokenMs, SplittableRandom random) {
        double overhead = 10 - 15 * Math.log(1 - random.nextDouble());
        double stall = random.nextDouble() < 0.03 ? 1.3 + 0.7 * random.nextDouble() : 1;
        return new Timing(ttftMs * (0.75 + 0.5 * random.nextDouble()), tokenMs * (0.9 + 0.2 * random.nextDouble()),
                overhead, stall);
    }

    Timing slowerFirstToken(double factor) {
        return new Timing(ttftMs * factor, tokenMs, overheadMs, stall);
    }

    Timing slower(double factor) {
        return new Timing(ttftMs * factor, tokenMs * factor, overheadMs, stall);
    }

    double ttft() {
        return (overheadMs + ttftMs) * stall;
    }

    /**
     * The simulator sends one piece per word: the first after the time to first token, each next one
     * a token delay later.
     */
    double latencyFor(String text) {
        return (overheadMs + ttftMs + tokenMs * Math.max(0, pieces(text) - 1)) * stall;
    }

    static int pieces(String text) {
        int n = 0;
        boolean inPiece = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inPiece) {
                n++;
            }
            inPiece = !space;
        }
        return n;
    }
}
