package dev.levee.internal.observe.anomaly;

import dev.levee.config.AnomalySettings;
import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.Usage;
import dev.levee.spi.AnomalyDetector;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each answer against what its model usually does, and against what no healthy answer does.
 *
 * <ul>
 *   <li><b>Baselines per model</b> ({@link ChatResponse#modelUsed()}): latency, time to first token
 *       (streams), output tokens and tokens per second, each judged by a robust z-score against the
 *       median and MAD of the model's recent window, once {@link AnomalySettings#warmUpSamples()}
 *       samples are in. Outliers are learned clamped, so they do not poison the baseline.</li>
 *   <li><b>Content</b>: empty answer, truncation, content filter, repetition loops, refusal
 *       boilerplate, prompt echo, secrets or personal data in the answer.</li>
 * </ul>
 *
 * <p>Content findings combine as {@code 1 - Π(1 - s)}; the statistical ones count once, by their
 * maximum, because a slow answer is slow in several correlated metrics at once. The rule-based
 * reply is levee's own canned text and is never scored (the fallback-rate alert watches it).
 *
 * <p>Thread-safe: each model's baselines sit behind their own short lock; content checks share
 * nothing. A call costs microseconds and allocates little (no per-call sorting: medians are cached).
 */
public final class BaselineAnomalyDetector implements AnomalyDetector {
    private static final Logger log = LoggerFactory.getLogger("levee.anomaly");

    private final AnomalySettings settings;
    private final ConcurrentHashMap<String, ModelBaseline> baselines = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedFull = new AtomicBoolean();

    public BaselineAnomalyDetector(AnomalySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public BaselineAnomalyDetector() {
        this(AnomalySettings.DEFAULTS);
    }

    public AnomalySettings settings() {
        return settings;
    }

    @Override
    public AnomalyScore score(ChatRequest request, ChatResponse response, Double ttftMs) {
        if (response == null || response.ruleBased()) {
            return AnomalyScore.NONE;
        }
        Findings findings = new Findings();
        ContentChecks.inspect(request, response, findings);
        ModelBaseline baseline = baselineFor(response.modelUsed());
        if (baseline != null) {
            baseline.judgeAndLearn(metrics(response, ttftMs), findings);
        }
        return findings.toScore();
    }

    /** The learned baselines of a model, if it has answered since startup. */
    public Optional<BaselineSnapshot> baseline(String model) {
        ModelBaseline b = baselines.get(model);
        return b == null ? Optional.empty() : Optional.of(b.snapshot());
    }

    private ModelBaseline baselineFor(String model) {
        if (model == null) {
            return null;
        }
        ModelBaseline b = baselines.get(model);
        if (b != null) {
            return b;
        }
        if (baselines.size() >= settings.maxModels()) {
            if (warnedFull.compareAndSet(false, true)) {
                log.warn("Anomaly baselines are kept for at most {} models; further models get content checks only",
                        settings.maxModels());
            }
            return null;
        }
        return baselines.computeIfAbsent(model, m -> new ModelBaseline(m, settings));
    }

    private static double[] metrics(ChatResponse response, Double ttftMs) {
        double[] values = new double[Metric.values().length];
        Usage usage = response.usage() == null ? Usage.NONE : response.usage();
        double latency = response.latencyMs();
        int tokens = usage.completionTokens();
        values[Metric.LATENCY.ordinal()] = latency > 0 ? latency : Double.NaN;
        values[Metric.TTFT.ordinal()] = ttftMs != null && ttftMs > 0 ? ttftMs : Double.NaN;
        // No usage at all (a provider that reported none, not even an estimate) says nothing about length.
        values[Metric.OUTPUT_TOKENS.ordinal()] = usage.totalTokens() > 0 ? tokens : Double.NaN;
        values[Metric.TOKENS_PER_SECOND.ordinal()] = tokens > 0 && latency > 0 ? tokens / (latency / 1000) : Double.NaN;
        return values;
    }
}
