package dev.levee.observe;

import dev.levee.ChatResponse;
import dev.levee.event.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Keeps the last {@code capacity} answered requests and summarises them, overall and per model. */
public final class RecentStats implements LeveeEventListener {
    /** One answered request, as much as the statistics need. */
    record Sample(String model, double latencyMs, int tokens, boolean fallback, double anomalyScore) {
    }

    private final int capacity;
    private final double anomalyThreshold;
    private final Deque<Sample> window = new ArrayDeque<>();

    public RecentStats(int capacity, double anomalyThreshold) {
        this.capacity = capacity;
        this.anomalyThreshold = anomalyThreshold;
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestCompleted done) {
            ChatResponse r = done.response();
            record(new Sample(r.modelUsed(), r.latencyMs(), r.tokensUsed(), r.fallbackUsed(), 0));
        }
    }

    synchronized void record(Sample sample) {
        if (window.size() == capacity) {
            window.removeFirst();
        }
        window.addLast(sample);
    }

    public RecentPerformance recentPerformance() {
        return summarise(snapshot());
    }

    /** Per model, in first-seen order of the window. */
    public Map<String, RecentPerformance> modelUsage() {
        Map<String, List<Sample>> byModel = new LinkedHashMap<>();
        for (Sample s : snapshot()) {
            byModel.computeIfAbsent(s.model(), k -> new java.util.ArrayList<>()).add(s);
        }
        Map<String, RecentPerformance> out = new LinkedHashMap<>();
        byModel.forEach((model, samples) -> out.put(model, summarise(samples)));
        return out;
    }

    private synchronized List<Sample> snapshot() {
        return List.copyOf(window);
    }

    private RecentPerformance summarise(List<Sample> samples) {
        if (samples.isEmpty()) {
            return RecentPerformance.EMPTY;
        }
        long totalTokens = samples.stream().mapToLong(Sample::tokens).sum();
        long fallbacks = samples.stream().filter(Sample::fallback).count();
        int anomalies = (int) samples.stream().filter(s -> s.anomalyScore() > anomalyThreshold).count();
        return new RecentPerformance(samples.size(), round(avg(samples, Sample::latencyMs)),
                round(samples.stream().mapToDouble(Sample::latencyMs).max().orElse(0)),
                round(samples.stream().mapToDouble(Sample::latencyMs).min().orElse(0)),
                round((double) totalTokens / samples.size()), totalTokens,
                round((double) fallbacks / samples.size()), anomalies);
    }

    private static double avg(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).average().orElse(0);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
