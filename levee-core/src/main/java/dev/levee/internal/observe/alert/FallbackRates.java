package dev.levee.internal.observe.alert;

import java.util.HashMap;
import java.util.Map;

/**
 * The share of fallback answers over each route's last N answers. Crossing above the threshold
 * (with enough answers) starts an incident; falling to half of it ends the incident, so a rate that
 * wobbles around the threshold does not flap. Thread-safe, bounded.
 */
final class FallbackRates {
    private static final int MAX_ROUTES = 1000;

    /** A crossing, with the figures at that moment. */
    record Crossing(boolean up, int fallbacks, int answers) {
        double share() {
            return (double) fallbacks / answers;
        }
    }

    private static final class Window {
        final boolean[] ring;
        int size;
        int next;
        int fallbacks;
        boolean above;

        Window(int capacity) {
            ring = new boolean[capacity];
        }

        void add(boolean fallback) {
            if (size == ring.length && ring[next]) {
                fallbacks--;
            }
            ring[next] = fallback;
            if (fallback) {
                fallbacks++;
            }
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
    }

    private final double threshold;
    private final int capacity;
    private final int minCount;
    private final Map<String, Window> routes = new HashMap<>();

    FallbackRates(double threshold, int capacity, int minCount) {
        this.threshold = threshold;
        this.capacity = capacity;
        this.minCount = minCount;
    }

    /** Records one answer; returns the crossing it caused, or {@code null}. */
    synchronized Crossing record(String route, boolean fallback) {
        Window w = routes.get(route);
        if (w == null) {
            if (routes.size() >= MAX_ROUTES) {
                return null;
            }
            w = new Window(capacity);
            routes.put(route, w);
        }
        w.add(fallback);
        double share = (double) w.fallbacks / w.size;
        if (!w.above && w.size >= minCount && share > threshold) {
            w.above = true;
            return new Crossing(true, w.fallbacks, w.size);
        }
        if (w.above && share <= threshold / 2) {
            w.above = false;
            return new Crossing(false, w.fallbacks, w.size);
        }
        return null;
    }
}
