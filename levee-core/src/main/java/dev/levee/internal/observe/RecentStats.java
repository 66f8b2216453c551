package dev.levee.internal.observe;

import dev.levee.UpstreamStats;
import dev.levee.RecentPerformance;
import dev.levee.Attempt;
import dev.levee.ChatResponse;
import dev.levee.config.PriceTable;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LeveeEventListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The statistics over a bounded recent window: the recent performance of answered requests,
 * and a per-provider and per-model view of upstream calls (every attempt, so a failing
 * primary shows its error rate even when a fallback answered).
 */
public final class RecentStats implements LeveeEventListener {
    record RequestSample(String model, double latencyMs, int tokens, boolean fallback, double anomalyScore) {
    }

    record CallSample(String provider, String model, double latencyMs, boolean ok, int promptTokens,
                      int completionTokens, long costNanos) {
    }

    private final int capacity;
    private final double anomalyThreshold;
    private final Deque<RequestSample> requests = new ArrayDeque<>();
    private final Deque<CallSample> calls = new ArrayDeque<>();

    public RecentStats(int capacity, double anomalyThreshold) {
        this.capacity = capacity;
        this.anomalyThreshold = anomalyThreshold;
    }

    @Override
    public void onEvent(LeveeEvent event) {
        if (event instanceof LeveeEvent.RequestCompleted done) {
            ChatResponse r = done.response();
            List<CallSample> attempts = new ArrayList<>();
            for (Attempt a : r.attempts()) {
                boolean answered = a.outcome() == Attempt.Outcome.SUCCEEDED && a.tier() == r.fallbackLevel()
                        && a.target().equals(r.provider() + "/" + targetModel(a.target()));
                attempts.addAll(call(a, answered ? r : null, answered ? done.costNanos() : 0));
            }
            record(new RequestSample(r.modelUsed(), r.latencyMs(), r.tokensUsed(), r.fallbackUsed(),
                    done.anomaly().score()), attempts);
        } else if (event instanceof LeveeEvent.RequestFailed failed) {
            List<CallSample> attempts = new ArrayList<>();
            failed.attempts().forEach(a -> attempts.addAll(call(a, null, 0)));
            record(null, attempts);
        }
    }

    private static List<CallSample> call(Attempt a, ChatResponse answer, long costNanos) {
        if (a.outcome() != Attempt.Outcome.SUCCEEDED && a.outcome() != Attempt.Outcome.FAILED) {
            return List.of(); // skipped, forced or cancelled: no upstream verdict
        }
        int slash = a.target().indexOf('/');
        String provider = a.target().substring(0, slash);
        return List.of(new CallSample(provider, a.target().substring(slash + 1), a.latencyMs(),
                a.outcome() == Attempt.Outcome.SUCCEEDED,
                answer == null ? 0 : answer.usage().promptTokens(),
                answer == null ? 0 : answer.usage().completionTokens(), costNanos));
    }

    private static String targetModel(String target) {
        return target.substring(target.indexOf('/') + 1);
    }

    private synchronized void record(RequestSample request, List<CallSample> newCalls) {
        if (request != null) {
            if (requests.size() == capacity) {
                requests.removeFirst();
            }
            requests.addLast(request);
        }
        for (CallSample c : newCalls) {
            if (calls.size() == capacity) {
                calls.removeFirst();
            }
            calls.addLast(c);
        }
    }

    public RecentPerformance recentPerformance() {
        return summarise(snapshotRequests());
    }

    /** Model usage: the recent performance of the requests each model answered. */
    public Map<String, RecentPerformance> modelUsage() {
        Map<String, List<RequestSample>> byModel = new LinkedHashMap<>();
        for (RequestSample s : snapshotRequests()) {
            byModel.computeIfAbsent(s.model(), k -> new ArrayList<>()).add(s);
        }
        Map<String, RecentPerformance> out = new LinkedHashMap<>();
        byModel.forEach((model, samples) -> out.put(model, summarise(samples)));
        return out;
    }

    public Map<String, UpstreamStats> byProvider() {
        return upstream(CallSample::provider);
    }

    /** Keyed {@code provider/model}. */
    public Map<String, UpstreamStats> byModel() {
        return upstream(c -> c.provider() + "/" + c.model());
    }

    private Map<String, UpstreamStats> upstream(Function<CallSample, String> key) {
        Map<String, List<CallSample>> groups = new LinkedHashMap<>();
        for (CallSample c : snapshotCalls()) {
            groups.computeIfAbsent(key.apply(c), k -> new ArrayList<>()).add(c);
        }
        Map<String, UpstreamStats> out = new LinkedHashMap<>();
        groups.forEach((k, samples) -> out.put(k, upstreamStats(samples)));
        return out;
    }

    private static UpstreamStats upstreamStats(List<CallSample> samples) {
        double[] latencies = samples.stream().mapToDouble(CallSample::latencyMs).sorted().toArray();
        int errors = (int) samples.stream().filter(c -> !c.ok()).count();
        long prompt = samples.stream().mapToLong(CallSample::promptTokens).sum();
        long completion = samples.stream().mapToLong(CallSample::completionTokens).sum();
        long cost = samples.stream().mapToLong(CallSample::costNanos).sum();
        return new UpstreamStats(samples.size(), errors, round((double) errors / samples.size()),
                round(percentile(latencies, 50)), round(percentile(latencies, 95)), round(percentile(latencies, 99)),
                round(Arrays.stream(latencies).average().orElse(0)), round(latencies[0]),
                round(latencies[latencies.length - 1]), prompt, completion, prompt + completion, PriceTable.usd(cost));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private synchronized List<RequestSample> snapshotRequests() {
        return List.copyOf(requests);
    }

    private synchronized List<CallSample> snapshotCalls() {
        return List.copyOf(calls);
    }

    private RecentPerformance summarise(List<RequestSample> samples) {
        if (samples.isEmpty()) {
            return RecentPerformance.EMPTY;
        }
        long totalTokens = samples.stream().mapToLong(RequestSample::tokens).sum();
        long fallbacks = samples.stream().filter(RequestSample::fallback).count();
        int anomalies = (int) samples.stream().filter(s -> s.anomalyScore() > anomalyThreshold).count();
        return new RecentPerformance(samples.size(),
                round(samples.stream().mapToDouble(RequestSample::latencyMs).average().orElse(0)),
                round(samples.stream().mapToDouble(RequestSample::latencyMs).max().orElse(0)),
                round(samples.stream().mapToDouble(RequestSample::latencyMs).min().orElse(0)),
                round((double) totalTokens / samples.size()), totalTokens,
                round((double) fallbacks / samples.size()), anomalies);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
