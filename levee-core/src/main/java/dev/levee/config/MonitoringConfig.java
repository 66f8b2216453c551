package dev.levee.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What levee records beside the request path (DESIGN.md "Observability").
 *
 * @param statsWindow how many recent requests the statistics summarise
 * @param telemetry the JSON-lines telemetry file
 * @param anomalyThreshold a score above this is an anomaly: logged, counted, alerted
 * @param alerts where alerts go and how often
 * @param tracing OpenTelemetry export
 */
public record MonitoringConfig(int statsWindow, Telemetry telemetry, double anomalyThreshold, Alerts alerts,
                               Tracing tracing) {
    public static final MonitoringConfig DEFAULTS = new MonitoringConfig(1000, Telemetry.DEFAULTS, 0.7,
            Alerts.DEFAULTS, Tracing.DEFAULTS);

    public MonitoringConfig {
        if (statsWindow < 10 || statsWindow > 1_000_000) {
            throw new IllegalArgumentException("stats_window must be in [10, 1000000]");
        }
        if (anomalyThreshold <= 0 || anomalyThreshold >= 1) {
            throw new IllegalArgumentException("anomaly.threshold must be in (0, 1)");
        }
    }

    /**
     * @param path the file, relative to the working directory; {@code null} switches the file off
     * @param maxFileBytes the size at which the file is rotated
     * @param maxFiles how many rotated files are kept
     */
    public record Telemetry(Path path, long maxFileBytes, int maxFiles) {
        public static final Telemetry DEFAULTS = new Telemetry(Path.of("levee-telemetry.jsonl"), 50L * 1024 * 1024, 5);

        public Telemetry {
            if (maxFileBytes < 1024) {
                throw new IllegalArgumentException("max_file_bytes must be >= 1024");
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("max_files must be >= 1");
            }
        }
    }

    /**
     * @param webhookUrl where alerts are POSTed (Slack-compatible JSON); {@code null} = logged only
     * @param incidentWindow an incident pages once per window
     * @param fallbackRate alert when the share of fallback answers exceeds this
     * @param fallbackWindow over this many recent requests
     */
    public record Alerts(String webhookUrl, Duration incidentWindow, double fallbackRate, int fallbackWindow) {
        public static final Alerts DEFAULTS = new Alerts(null, Duration.ofMinutes(5), 0.5, 50);

        public Alerts {
            if (incidentWindow.isNegative() || incidentWindow.isZero()) {
                throw new IllegalArgumentException("incident_window must be positive");
            }
            if (fallbackRate <= 0 || fallbackRate > 1) {
                throw new IllegalArgumentException("fallback_rate must be in (0, 1]");
            }
            if (fallbackWindow < 1) {
                throw new IllegalArgumentException("fallback_window must be >= 1");
            }
        }
    }

    /**
     * @param otlpEndpoint the OTLP/HTTP traces endpoint, e.g. {@code http://localhost:4318/v1/traces}; {@code null} = off
     * @param captureContent put prompts and answers on spans (off by default: they may hold personal data)
     * @param serviceName the {@code service.name} resource attribute
     */
    public record Tracing(String otlpEndpoint, boolean captureContent, String serviceName) {
        public static final Tracing DEFAULTS = new Tracing(null, false, "levee");
    }
}
