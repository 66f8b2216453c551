package dev.levee.config;

import dev.levee.config.AlertSettings;
import dev.levee.config.AnomalySettings;
import java.nio.file.Path;

/**
 * What levee records beside the request path: statistics, telemetry, anomalies, alerts, tracing.
 *
 * @param statsWindow how many recent requests the statistics summarise
 * @param telemetry the JSON-lines telemetry file
 * @param anomaly the detector's settings, its threshold above all
 * @param alerts where alerts go and how often
 * @param tracing OpenTelemetry export
 */
public record MonitoringConfig(int statsWindow, Telemetry telemetry, AnomalySettings anomaly, AlertSettings alerts,
                               Tracing tracing) {
    public static final MonitoringConfig DEFAULTS = new MonitoringConfig(1000, Telemetry.DEFAULTS,
            AnomalySettings.DEFAULTS, AlertSettings.DEFAULTS, Tracing.DEFAULTS);

    public MonitoringConfig {
        if (statsWindow < 10 || statsWindow > 1_000_000) {
            throw new IllegalArgumentException("stats_window must be in [10, 1000000]");
        }
    }

    /** A score above this is an anomaly: logged, counted, alerted. */
    public double anomalyThreshold() {
        return anomaly.threshold();
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
     * @param otlpEndpoint the OTLP/HTTP traces endpoint, e.g. {@code http://localhost:4318/v1/traces}; {@code null} = off
     * @param captureContent put prompts and answers on spans (off by default: they may hold personal data)
     * @param serviceName the {@code service.name} resource attribute
     */
    public record Tracing(String otlpEndpoint, boolean captureContent, String serviceName) {
        public static final Tracing DEFAULTS = new Tracing(null, false, "levee");
    }
}
