package dev.levee.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.levee.config.LoggingConfig.PromptLogging;
import dev.levee.config.ProviderConfig.SimulatorSettings;
import dev.levee.config.RouteConfig.ContentFilterPolicy;
import dev.levee.config.Price;
import dev.levee.config.AlertSettings;
import dev.levee.config.AnomalySettings;
import dev.levee.config.PriceTable;
import io.github.cdimascio.dotenv.Dotenv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code levee.yaml}: YAML, {@code ${VAR}} / {@code ${VAR:-default}} from the environment
 * and a {@code .env} file, and validation that names the file, the key and the problem.
 */
public final class ConfigLoader {
    /** The classpath resource of the embedded default: three simulator tiers, no network needed. */
    public static final String DEFAULT_RESOURCE = "/dev/levee/default-levee.yaml";

    /** Duplicate keys are errors: YAML would let the last one silently win over the first. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigLoader() {
    }

    /** The embedded default configuration. */
    public static LeveeConfig loadDefault() {
        return loadResource(DEFAULT_RESOURCE, "embedded default config");
    }

    /** A configuration on the classpath; {@code .env} in the working directory supplies variables. */
    public static LeveeConfig loadResource(String resource, String source) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(source + " missing from the classpath: " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source, environment(Path.of("")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a file; {@code .env} beside it and in the working directory supply variables. */
    public static LeveeConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), environment(dir));
    }

    /**
     * Variables from the process environment first, then {@code .env} in {@code configDir}, then in
     * the working directory.
     */
    public static Function<String, String> environment(Path configDir) {
        List<Dotenv> files = new ArrayList<>();
        for (Path dir : List.of(configDir, Path.of("").toAbsolutePath())) {
            if (dir != null && Files.isRegularFile(dir.resolve(".env"))) {
                files.add(Dotenv.configure().directory(dir.toString()).ignoreIfMalformed().load());
            }
        }
        return name -> {
            String value = System.getenv(name);
            for (int i = 0; value == null && i < files.size(); i++) {
                value = files.get(i).get(name, null);
            }
            return value;
        };
    }

    /** Parses YAML text; {@code env} resolves {@code ${VAR}} references. */
    public static LeveeConfig parse(String yaml, String source, Function<String, String> env) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            throw new ConfigException(source + ": " + where + "not valid YAML (" + e.getOriginalMessage() + ")");
        }
        ConfigNode root = new ConfigNode(source, "", tree, new Interpolator(env));
        if (root.isMissing()) {
            throw new ConfigException(source + ": the file is empty");
        }
        return bind(root, source);
    }

    private static LeveeConfig bind(ConfigNode root, String source) {
        root.allowOnly("server", "providers", "routes", "default_route", "resilience", "rule_based", "logging",
                "fault_injection", "pricing", "monitoring", "auth", "storage", "limits", "state");
        ServerConfig d = ServerConfig.DEFAULTS;
        ServerConfig server = root.get("server").allowOnly("host", "port", "max_body_bytes", "max_connections",
                "idle_timeout", "header_timeout", "body_timeout", "max_body_bytes_in_flight",
                "send_buffer_bytes").build(n -> {
                    long maxBody = n.get("max_body_bytes").integer((int) d.maxBodyBytes());
                    return new ServerConfig(
                            n.get("host").string(d.host()),
                            n.get("port").integer(d.port()),
                            maxBody,
                            n.get("max_connections").integer(d.maxConnections()),
                            n.get("idle_timeout").duration(d.idleTimeout()),
                            n.get("header_timeout").duration(d.headerTimeout()),
                            n.get("body_timeout").duration(d.bodyTimeout()),
                            n.get("max_body_bytes_in_flight").integer((int) Math.min(Integer.MAX_VALUE,
                                    Math.max(maxBody, d.maxBodyBytesInFlight()))),
                            n.get("send_buffer_bytes").integer(d.sendBufferBytes()));
                });

        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        ResilienceConfig resilience = resilience(root.get("resilience"));
        ConfigNode providersNode = root.get("providers");
        if (providersNode.isMissing() || providersNode.entries().isEmpty()) {
            throw providersNode.error("at least one provider is required");
        }
        providersNode.entries().forEach((name, node) -> providers.put(name, provider(name, node, resilience)));

        Map<String, RouteConfig> routes = new LinkedHashMap<>();
        ConfigNode routesNode = root.get("routes");
        if (routesNode.isMissing() || routesNode.entries().isEmpty()) {
            throw routesNode.error("at least one route is required");
        }
        routesNode.entries().forEach((name, node) -> routes.put(name, route(name, node, providers)));

        String defaultRoute = root.get("default_route").string(routes.containsKey("default") ? "default"
                : routes.keySet().iterator().next());
        if (!routes.containsKey(defaultRoute)) {
            throw root.get("default_route").error("no route named '" + defaultRoute + "'");
        }
        return new LeveeConfig(source, server, providers, routes, defaultRoute, resilience,
                ruleBased(root.get("rule_based")), logging(root.get("logging")), faultInjection(root.get("fault_injection")),
                pricing(root.get("pricing")), monitoring(root.get("monitoring")), auth(root.get("auth")),
                storage(root.get("storage")), limits(root.get("limits")), state(root.get("state")));
    }

    private static LimitsConfig limits(ConfigNode n) {
        n.allowOnly("keys", "teams", "completion_estimate", "reservation_ttl");
        LimitsConfig d = LimitsConfig.NONE;
        Map<String, Quota> teams = new LinkedHashMap<>();
        n.get("teams").entries().forEach((team, q) -> teams.put(team, quota(q, false)));
        return n.build(x -> new LimitsConfig(quota(x.get("keys"), true), teams,
                x.get("completion_estimate").integer(d.completionEstimate()),
                x.get("reservation_ttl").duration(d.reservationTtl())));
    }

    private static Quota quota(ConfigNode n, boolean key) {
        if (key) {
            n.allowOnly("rpm", "tpm", "max_concurrent", "budget_usd", "budget_period", "priority");
        } else {
            n.allowOnly("rpm", "tpm", "max_concurrent", "budget_usd", "budget_period");
        }
        return n.build(x -> {
            String budget = x.get("budget_usd").string(null);
            return new Quota(x.get("rpm").optionalInteger(), x.get("tpm").optionalInteger(),
                    x.get("max_concurrent").optionalInteger(),
                    budget == null ? null : new java.math.BigDecimal(budget.trim()), x.get("budget_period").string(null),
                    x.get("priority").string(null));
        });
    }

    private static StateConfig state(ConfigNode n) {
        n.allowOnly("redis", "password", "key_prefix", "timeout", "on_failure");
        StateConfig d = StateConfig.LOCAL;
        Map<String, StateConfig.FailurePolicy> policies = new LinkedHashMap<>();
        n.get("on_failure").entries().forEach((kind, policy) -> {
            StateConfig.FailurePolicy p = policy.enumValue(StateConfig.FailurePolicy.class, null);
            if (p == null) {
                throw policy.error("expected one of fail_open | fail_closed");
            }
            policies.put(kind, p);
        });
        return n.build(x -> {
            String redis = x.get("redis").string(null);
            URI uri = null;
            if (redis != null && !redis.isBlank()) {
                try {
                    uri = new URI(redis.trim());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("redis: not a URL (" + e.getReason() + ")");
                }
            }
            return new StateConfig(uri, Secret.ofNullable(x.get("password").string(null)),
                    x.get("key_prefix").string(d.keyPrefix()), x.get("timeout").duration(d.timeout()), policies);
        });
    }

    private static AuthConfig auth(ConfigNode n) {
        n.allowOnly("master_key", "metrics_token", "key_cache_ttl", "key_cache_stale");
        AuthConfig d = AuthConfig.OFF;
        return n.build(x -> new AuthConfig(Secret.ofNullable(x.get("master_key").string(null)),
                Secret.ofNullable(x.get("metrics_token").string(null)),
                x.get("key_cache_ttl").duration(d.keyCacheTtl()),
                x.get("key_cache_stale").duration(d.keyCacheStale())));
    }

    private static StorageConfig storage(ConfigNode n) {
        n.allowOnly("url", "user", "password", "data_dir", "pool_size", "retention_days", "spool_max_bytes");
        StorageConfig d = StorageConfig.DEFAULTS;
        return n.build(x -> {
            String url = x.get("url").string(null);
            return new StorageConfig(url == null || url.isBlank() ? null : url.trim(), x.get("user").string(null),
                    Secret.ofNullable(x.get("password").string(null)),
                    java.nio.file.Path.of(x.get("data_dir").string(d.dataDir().toString())),
                    x.get("pool_size").integer(d.poolSize()), x.get("retention_days").integer(d.retentionDays()),
                    x.get("spool_max_bytes").integer((int) d.spoolMaxBytes()));
        });
    }

    private static ProviderConfig provider(String name, ConfigNode n, ResilienceConfig resilience) {
        if (name.isBlank() || name.contains("/")) {
            throw n.error("a provider name must be non-empty and contain no '/'");
        }
        n.allowOnly("type", "base_url", "api_key", "headers", "max_connections", "connect_timeout",
                "receive_buffer_bytes", "wire",
                "first_token", "per_token", "faults");
        ProviderType type = n.get("type").enumValue(ProviderType.class, null);
        if (type == null) {
            throw n.get("type").error("is required (ollama | openai | anthropic | simulator)");
        }
        URI baseUrl = null;
        SimulatorSettings sim = null;
        if (type == ProviderType.SIMULATOR) {
            Map<String, String> faults = new LinkedHashMap<>();
            n.get("faults").entries().forEach((model, spec) -> faults.put(model, spec.requiredString()));
            sim = n.build(x -> new SimulatorSettings(
                    x.get("wire").enumValue(ProviderType.class, ProviderType.OLLAMA),
                    x.get("first_token").duration(Duration.ofMillis(60)),
                    x.get("per_token").duration(Duration.ofMillis(3)),
                    faults));
        } else {
            for (String simOnly : List.of("wire", "first_token", "per_token", "faults")) {
                if (!n.get(simOnly).isMissing()) {
                    throw n.get(simOnly).error("only a provider of type simulator takes this key");
                }
            }
            baseUrl = baseUrl(n.get("base_url"), type);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        n.get("headers").entries().forEach((h, v) -> headers.put(h, v.string("")));
        Secret apiKey = Secret.ofNullable(n.get("api_key").string(null));
        URI finalBaseUrl = baseUrl;
        SimulatorSettings finalSim = sim;
        return n.build(x -> new ProviderConfig(name, type, finalBaseUrl, apiKey, headers,
                x.get("max_connections").integer(256),
                x.get("connect_timeout").duration(resilience.timeout().connect()),
                x.get("receive_buffer_bytes").integer(0),
                finalSim));
    }

    private static URI baseUrl(ConfigNode n, ProviderType type) {
        String text = n.string(switch (type) {
            case OLLAMA -> "http://localhost:11434";
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com";
            case SIMULATOR -> null;
        });
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw n.error("expected an http(s) URL with a host, found '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw n.error("not a valid URL: '" + text + "'");
        }
    }

    private static RouteConfig route(String name, ConfigNode n, Map<String, ProviderConfig> providers) {
        n.allowOnly("tiers", "content_filter", "rule_based_fallback", "rule_based_for_structured", "limits", "slo");
        RouteConfig.Slo ds = RouteConfig.Slo.DEFAULT;
        RouteConfig.Slo slo = n.get("slo").allowOnly("availability", "latency", "latency_percentile")
                .build(x -> new RouteConfig.Slo(x.get("availability").decimal(ds.availability()),
                        x.get("latency").duration(ds.latency()),
                        x.get("latency_percentile").decimal(ds.latencyPercentile())));
        ConfigNode limits = n.get("limits").allowOnly("keys", "teams");
        Quota keyLimits = quota(limits.get("keys"), false);
        Quota teamLimits = quota(limits.get("teams"), false);
        List<TierConfig> tiers = new ArrayList<>();
        for (ConfigNode t : n.get("tiers").elements()) {
            t.allowOnly("target", "expensive", "max_tokens", "temperature", "top_p", "supports_prefill", "capabilities",
                    "continuation", "dimensions");
            String target = t.get("target").requiredString();
            int slash = target.indexOf('/');
            if (slash <= 0 || slash == target.length() - 1) {
                throw t.get("target").error("expected provider/model, found '" + target + "'");
            }
            String provider = target.substring(0, slash);
            if (!providers.containsKey(provider)) {
                throw t.get("target").error("unknown provider '" + provider + "' (known: "
                        + String.join(", ", providers.keySet()) + ")");
            }
            Integer maxTokens = t.get("max_tokens").optionalInteger();
            if (maxTokens != null && maxTokens < 1) {
                throw t.get("max_tokens").error("must be >= 1");
            }
            Double temperature = t.get("temperature").optionalDecimal();
            if (temperature != null && (temperature < 0 || temperature > 2)) {
                throw t.get("temperature").error("must be in [0, 2]");
            }
            Double topP = t.get("top_p").optionalDecimal();
            if (topP != null && (topP <= 0 || topP > 1)) {
                throw t.get("top_p").error("must be in (0, 1]");
            }
            String model = target.substring(slash + 1);
            Capabilities caps = capabilities(t, providers.get(provider), model);
            TierConfig.Continuation defaultContinuation = caps.has(Capabilities.Capability.PREFILL)
                    ? TierConfig.Continuation.PREFILL : TierConfig.Continuation.INSTRUCTION;
            TierConfig.Continuation continuation = t.get("continuation").enumValue(TierConfig.Continuation.class,
                    defaultContinuation);
            if (continuation == TierConfig.Continuation.PREFILL && !caps.has(Capabilities.Capability.PREFILL)) {
                caps = caps.with(Capabilities.Capability.PREFILL, true); // saying prefill says it takes one
            }
            Integer dimensions = t.get("dimensions").optionalInteger();
            if (dimensions != null && dimensions < 1) {
                throw t.get("dimensions").error("must be >= 1");
            }
            if (dimensions != null && !caps.has(Capabilities.Capability.EMBEDDINGS)) {
                throw t.get("dimensions").error("is for embedding models; '" + model + "' is not one (say"
                        + " capabilities: {embeddings: true} if it is)");
            }
            tiers.add(new TierConfig(provider, model, maxTokens, temperature, topP, caps, continuation,
                    t.get("expensive").bool(false), dimensions));
        }
        if (tiers.isEmpty()) {
            throw n.get("tiers").error("a route needs at least one tier");
        }
        sameDimensions(n.get("tiers"), tiers);
        return n.build(x -> new RouteConfig(name, tiers,
                x.get("content_filter").enumValue(ContentFilterPolicy.class, ContentFilterPolicy.ERROR),
                x.get("rule_based_fallback").bool(true), x.get("rule_based_for_structured").bool(false), keyLimits,
                teamLimits, slo));
    }

    /**
     * A route's embedding tiers must embed into vectors of one length: a fallback that answered with
     * another would hand the caller vectors its index cannot compare.
     */
    private static void sameDimensions(ConfigNode tiersNode, List<TierConfig> tiers) {
        Map<Integer, List<String>> byLength = new java.util.TreeMap<>();
        for (TierConfig tier : tiers) {
            Integer length = tier.capabilities().has(Capabilities.Capability.EMBEDDINGS) ? tier.embeddingDimensions()
                    : null;
            if (length != null) {
                byLength.computeIfAbsent(length, k -> new ArrayList<>()).add(tier.target());
            }
        }
        if (byLength.size() > 1) {
            List<String> parts = new ArrayList<>();
            byLength.forEach((length, targets) -> parts.add(String.join(", ", targets) + ": " + length));
            throw tiersNode.error("the embedding tiers embed into vectors of different lengths (" + String.join("; ",
                    parts) + "): a fallback would change them; give the tiers the same 'dimensions'");
        }
    }

    /** The built-in table's capabilities for the model, with the tier's own overrides. */
    private static Capabilities capabilities(ConfigNode tier, ProviderConfig provider, String model) {
        ProviderType wire = provider.type() == ProviderType.SIMULATOR ? provider.simulator().wire() : provider.type();
        Capabilities caps = Capabilities.known(wire, model);
        ConfigNode prefill = tier.get("supports_prefill");
        if (!prefill.isMissing()) {
            caps = caps.with(Capabilities.Capability.PREFILL, prefill.bool(false));
        }
        for (Map.Entry<String, ConfigNode> e : tier.get("capabilities").entries().entrySet()) {
            Capabilities.Capability c = Capabilities.Capability.ofKey(e.getKey());
            if (c == null) {
                throw e.getValue().error("unknown capability '" + e.getKey() + "' (known: chat, tools, tool_choice,"
                        + " images, json_object, json_schema, logprobs, prefill, embeddings)");
            }
            caps = caps.with(c, e.getValue().bool(false));
        }
        return caps;
    }

    private static int defaultOutputTokens(ConfigNode n, int fallback) {
        Integer v = n.optionalInteger();
        return v == null ? fallback : v;
    }

    private static ResilienceConfig resilience(ConfigNode n) {
        n.allowOnly("circuit_breaker", "retry", "timeout", "bulkhead", "degradation");
        ResilienceConfig d = ResilienceConfig.DEFAULTS;
        ConfigNode b = n.get("circuit_breaker").allowOnly("consecutive_failures", "failure_rate", "window",
                "minimum_calls", "open_for", "half_open_probes");
        var breaker = b.build(x -> {
            int window = x.get("window").integer(d.breaker().window());
            return new ResilienceConfig.Breaker(
                    x.get("consecutive_failures").integer(d.breaker().consecutiveFailures()),
                    x.get("failure_rate").decimal(d.breaker().failureRate()),
                    window,
                    x.get("minimum_calls").integer(Math.min(d.breaker().minimumCalls(), window)),
                    x.get("open_for").duration(d.breaker().openFor()),
                    x.get("half_open_probes").integer(d.breaker().halfOpenProbes()));
        });
        ConfigNode r = n.get("retry").allowOnly("max_attempts", "base_delay", "max_delay", "max_retry_after");
        var retry = r.build(x -> new ResilienceConfig.Retry(
                x.get("max_attempts").integer(d.retry().maxAttempts()),
                x.get("base_delay").duration(d.retry().baseDelay()),
                x.get("max_delay").duration(d.retry().maxDelay()),
                x.get("max_retry_after").duration(d.retry().maxRetryAfter())));
        ConfigNode t = n.get("timeout").allowOnly("base", "per_token", "max", "first_token", "stream_idle", "connect",
                "tier_share", "default_output_tokens");
        var timeout = t.build(x -> new ResilienceConfig.Timeout(
                x.get("base").duration(d.timeout().base()),
                x.get("per_token").duration(d.timeout().perToken()),
                x.get("max").duration(d.timeout().max()),
                x.get("first_token").duration(d.timeout().firstToken()),
                x.get("stream_idle").duration(d.timeout().streamIdle()),
                x.get("connect").duration(d.timeout().connect()),
                x.get("tier_share").decimal(d.timeout().tierShare()),
                defaultOutputTokens(x.get("default_output_tokens"), d.timeout().defaultOutputTokens())));
        ResilienceConfig.Bulkhead db = d.bulkhead();
        var bulkhead = n.get("bulkhead").allowOnly("max_concurrent", "standard_share", "batch_share")
                .build(x -> new ResilienceConfig.Bulkhead(x.get("max_concurrent").integer(db.maxConcurrent()),
                        x.get("standard_share").decimal(db.standardShare()),
                        x.get("batch_share").decimal(db.batchShare())));
        ResilienceConfig.Degradation dd = d.degradation();
        var degradation = n.get("degradation").allowOnly("enabled", "degraded_open_share", "degraded_fallback_rate",
                "emergency_open_share", "emergency_failure_rate", "minimum_requests", "hold", "degraded_max_tokens")
                .build(x -> new ResilienceConfig.Degradation(x.get("enabled").bool(dd.enabled()),
                        x.get("degraded_open_share").decimal(dd.degradedOpenShare()),
                        x.get("degraded_fallback_rate").decimal(dd.degradedFallbackRate()),
                        x.get("emergency_open_share").decimal(dd.emergencyOpenShare()),
                        x.get("emergency_failure_rate").decimal(dd.emergencyFailureRate()),
                        x.get("minimum_requests").integer(dd.minimumRequests()),
                        x.get("hold").duration(dd.hold()),
                        x.get("degraded_max_tokens").integer(dd.degradedMaxTokens())));
        return new ResilienceConfig(breaker, retry, timeout, bulkhead, degradation);
    }

    private static RuleBasedConfig ruleBased(ConfigNode n) {
        n.allowOnly("keywords", "generic");
        if (n.isMissing()) {
            return RuleBasedConfig.DEFAULTS;
        }
        Map<String, String> keywords = new LinkedHashMap<>();
        ConfigNode k = n.get("keywords");
        if (k.isMissing()) {
            keywords.putAll(RuleBasedConfig.DEFAULTS.keywords());
        } else {
            k.entries().forEach((word, reply) -> keywords.put(word.toLowerCase(java.util.Locale.ROOT),
                    reply.requiredString()));
        }
        List<String> generic = new ArrayList<>();
        ConfigNode g = n.get("generic");
        if (g.isMissing()) {
            generic.addAll(RuleBasedConfig.DEFAULTS.generic());
        } else {
            g.elements().forEach(e -> generic.add(e.requiredString()));
        }
        return n.build(x -> new RuleBasedConfig(keywords, generic));
    }

    /** {@code pricing: {model: {input: USD per 1M tokens, output: USD per 1M tokens}}}, over the defaults. */
    private static PriceTable pricing(ConfigNode n) {
        Map<String, Price> overrides = new LinkedHashMap<>();
        n.entries().forEach((model, price) -> {
            price.allowOnly("input", "output");
            overrides.put(model, price.build(x -> Price.perMillion(
                    new java.math.BigDecimal(x.get("input").requiredString().trim()),
                    new java.math.BigDecimal(x.get("output").requiredString().trim()))));
        });
        return PriceTable.withOverrides(overrides);
    }

    private static MonitoringConfig monitoring(ConfigNode n) {
        n.allowOnly("stats_window", "telemetry", "anomaly", "alerts", "tracing");
        MonitoringConfig d = MonitoringConfig.DEFAULTS;
        ConfigNode t = n.get("telemetry").allowOnly("enabled", "path", "max_file_bytes", "max_files");
        var telemetry = t.build(x -> new MonitoringConfig.Telemetry(
                x.get("enabled").bool(true) ? java.nio.file.Path.of(x.get("path").string(d.telemetry().path().toString()))
                        : null,
                x.get("max_file_bytes").integer((int) d.telemetry().maxFileBytes()),
                x.get("max_files").integer(d.telemetry().maxFiles())));
        ConfigNode an = n.get("anomaly").allowOnly("threshold", "warm_up", "window", "sensitivity",
                "min_relative_spread", "max_models");
        var anomaly = an.build(x -> {
            var dA = AnomalySettings.DEFAULTS;
            return new AnomalySettings(x.get("threshold").decimal(dA.threshold()),
                    x.get("warm_up").integer(dA.warmUpSamples()), x.get("window").integer(dA.windowSize()),
                    x.get("sensitivity").decimal(dA.sensitivity()),
                    x.get("min_relative_spread").decimal(dA.minRelativeSpread()),
                    x.get("max_models").integer(dA.maxModels()));
        });
        ConfigNode a = n.get("alerts").allowOnly("webhook_url", "incident_window", "fallback_rate", "fallback_window",
                "fallback_min_count", "timeout");
        var alerts = a.build(x -> {
            var dB = AlertSettings.DEFAULTS;
            String url = x.get("webhook_url").string(null);
            return new AlertSettings(url == null || url.isBlank() ? null : url,
                    x.get("incident_window").duration(dB.incidentWindow()), anomaly.threshold(),
                    x.get("fallback_rate").decimal(dB.fallbackRate()),
                    x.get("fallback_window").integer(dB.fallbackWindow()),
                    x.get("fallback_min_count").integer(dB.fallbackMinCount()),
                    x.get("timeout").duration(dB.timeout()));
        });
        ConfigNode tr = n.get("tracing").allowOnly("otlp_endpoint", "capture_content", "service_name");
        var tracing = tr.build(x -> {
            String endpoint = x.get("otlp_endpoint").string(null);
            return new MonitoringConfig.Tracing(endpoint == null || endpoint.isBlank() ? null : endpoint,
                    x.get("capture_content").bool(false), x.get("service_name").string("levee"));
        });
        return n.build(x -> new MonitoringConfig(x.get("stats_window").integer(d.statsWindow()), telemetry, anomaly,
                alerts, tracing));
    }

    private static LoggingConfig logging(ConfigNode n) {
        n.allowOnly("prompts");
        return new LoggingConfig(n.get("prompts").enumValue(PromptLogging.class, PromptLogging.HASH));
    }

    private static FaultInjectionConfig faultInjection(ConfigNode n) {
        n.allowOnly("allow_headers", "high_load_delay");
        return new FaultInjectionConfig(n.get("allow_headers").bool(false),
                n.get("high_load_delay").duration(FaultInjectionConfig.DEFAULTS.highLoadDelay()));
    }
}
