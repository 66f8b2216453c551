package dev.levee.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When and where {@link Alerter} raises alerts.
 *
 * @param webhookUrl where alerts are POSTed as Slack-compatible JSON; {@code null}: alerts are only logged
 * @param incidentWindow an incident (same kind and key) pages at most once per window; later
 *        occurrences are counted and reported with the next alert
 * @param anomalyThreshold an answer whose anomaly score exceeds this raises an ANOMALY alert
 * @param fallbackRate a FALLBACK_RATE alert is raised when the share of fallback answers on a route
 *        exceeds this (and cleared when it falls to half of it)
 * @param fallbackWindow over this many recent answers per route
 * @param fallbackMinCount answers a route needs in its window before its rate is judged
 * @param timeout connect and idle timeout of a webhook call
 */
public record AlertSettings(String webhookUrl, Duration incidentWindow, double anomalyThreshold, double fallbackRate,
                            int fallbackWindow, int fallbackMinCount, Duration timeout) {

    public static final AlertSettings DEFAULTS = new AlertSettings(null, Duration.ofMinutes(5), 0.7, 0.5, 50, 20,
            Duration.ofSeconds(5));

    public AlertSettings {
        if (webhookUrl != null) {
            URI uri;
            try {
                uri = URI.create(webhookUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts webhook_url is not a URL", e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                // The URL may hold a secret (Slack's do), so it is not repeated in the message.
                throw new IllegalArgumentException("alerts webhook_url must be an absolute http(s) URL");
            }
        }
        requirePositive("incident_window", incidentWindow);
        requirePositive("timeout", timeout);
        if (!(anomalyThreshold > 0 && anomalyThreshold < 1)) {
            throw new IllegalArgumentException("alerts anomaly_threshold must be in (0, 1): " + anomalyThreshold);
        }
        if (!(fallbackRate > 0 && fallbackRate <= 1)) {
            throw new IllegalArgumentException("alerts fallback_rate must be in (0, 1]: " + fallbackRate);
        }
        if (fallbackWindow < 1 || fallbackWindow > 100_000) {
            throw new IllegalArgumentException("alerts fallback_window must be in [1, 100000]: " + fallbackWindow);
        }
        if (fallbackMinCount < 1 || fallbackMinCount > fallbackWindow) {
            throw new IllegalArgumentException("alerts fallback_min_count must be in [1, fallback_window]: "
                    + fallbackMinCount);
        }
    }

    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("alerts " + name + " must be positive: " + d);
        }
    }

    public static final class Builder {
        private String webhookUrl;
        private Duration incidentWindow;
        private double anomalyThreshold;
        private double fallbackRate;
        private int fallbackWindow;
        private int fallbackMinCount;
        private Duration timeout;

        private Builder(AlertSettings from) {
            webhookUrl = from.webhookUrl;
            incidentWindow = from.incidentWindow;
            anomalyThreshold = from.anomalyThreshold;
            fallbackRate = from.fallbackRate;
            fallbackWindow = from.fallbackWindow;
            fallbackMinCount = from.fallbackMinCount;
            timeout = from.timeout;
        }

        public Builder webhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
            return this;
        }

        public Builder incidentWindow(Duration incidentWindow) {
            this.incidentWindow = incidentWindow;
            return this;
        }

        public Builder anomalyThreshold(double anomalyThreshold) {
            this.anomalyThreshold = anomalyThreshold;
            return this;
        }

        public Builder fallbackRate(double fallbackRate) {
            this.fallbackRate = fallbackRate;
            return this;
        }

        public Builder fallbackWindow(int fallbackWindow) {
            this.fallbackWindow = fallbackWindow;
            return this;
        }

        public Builder fallbackMinCount(int fallbackMinCount) {
            this.fallbackMinCount = fallbackMinCount;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public AlertSettings build() {
            return new AlertSettings(webhookUrl, incidentWindow, anomalyThreshold, fallbackRate, fallbackWindow,
                    fallbackMinCount, timeout);
        }
    }
}
