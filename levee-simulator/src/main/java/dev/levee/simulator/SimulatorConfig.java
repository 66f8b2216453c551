package dev.levee.simulator;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable simulator settings.
 *
 * @param host              interface to bind, normally 127.0.0.1
 * @param port              port to bind; 0 picks an ephemeral one
 * @param defaultLatency    latency for models without an entry in {@code latencyByModel}
 * @param latencyByModel    per-model latency overrides
 * @param faultsByModel     faults active from startup (model {@value FaultRules#ANY_MODEL} matches every model)
 * @param allowHeaderFaults whether a request may ask for a fault with the {@code X-Simulator-Fault} header
 * @param knownModels       the models served; empty means any model name is served
 */
public record SimulatorConfig(String host, int port, Latency defaultLatency, Map<String, Latency> latencyByModel,
                              Map<String, FaultSpec> faultsByModel, boolean allowHeaderFaults,
                              Set<String> knownModels) {

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(defaultLatency, "defaultLatency");
        latencyByModel = Map.copyOf(latencyByModel);
        faultsByModel = Map.copyOf(faultsByModel);
        knownModels = Set.copyOf(knownModels);
    }

    public static SimulatorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Latency latencyFor(String model) {
        return latencyByModel.getOrDefault(model, defaultLatency);
    }

    /** Whether the model is served; Ollama-style names match with or without the {@code :latest} tag. */
    public boolean serves(String model) {
        if (knownModels.isEmpty() || knownModels.contains(model)) {
            return true;
        }
        return model.endsWith(":latest")
                ? knownModels.contains(model.substring(0, model.length() - ":latest".length()))
                : knownModels.contains(model + ":latest");
    }

    /** The models to list on {@code /api/tags} and {@code /v1/models}: the known ones, else the configured ones. */
    List<String> listedModels() {
        Set<String> names = new LinkedHashSet<>(knownModels);
        if (names.isEmpty()) {
            names.addAll(latencyByModel.keySet());
            names.addAll(faultsByModel.keySet());
            names.remove(FaultRules.ANY_MODEL);
        }
        return names.stream().sorted().toList();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Latency defaultLatency = Latency.DEFAULT;
        private final Map<String, Latency> latencyByModel = new HashMap<>();
        private final Map<String, FaultSpec> faultsByModel = new HashMap<>();
        private boolean allowHeaderFaults = true;
        private final Set<String> knownModels = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder defaultLatency(Latency latency) {
            this.defaultLatency = latency;
            return this;
        }

        public Builder latency(String model, Latency latency) {
            latencyByModel.put(model, latency);
            return this;
        }

        public Builder fault(String model, FaultSpec spec) {
            faultsByModel.put(model, spec);
            return this;
        }

        public Builder fault(String model, String spec) {
            return fault(model, FaultSpec.parse(spec));
        }

        public Builder allowHeaderFaults(boolean allow) {
            this.allowHeaderFaults = allow;
            return this;
        }

        public Builder knownModels(Set<String> models) {
            knownModels.addAll(models);
            return this;
        }

        public Builder knownModels(String... models) {
            return knownModels(new LinkedHashSet<>(List.of(models)));
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(host, port, defaultLatency, latencyByModel, faultsByModel,
                    allowHeaderFaults, knownModels);
        }
    }
}
