package dev.levee.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prices per model: defaults for well-known OpenAI and Anthropic models (list prices per million
 * tokens, 2026), overridden and extended by config. A model is matched exactly, else by the longest
 * known prefix, so dated snapshots ({@code gpt-4o-mini-2024-07-18}) find their family. Local models
 * (Ollama, the simulator) cost nothing unless the config prices them.
 */
public final class PriceTable {
    private static final Map<String, Price> DEFAULTS = listPrices();

    private final Map<String, Price> prices;
    private final List<String> byLengthDesc;
    /** Lookups by model and locality, remembered: the prefix search runs once per model. */
    private final Map<String, Price> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    private PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
        this.byLengthDesc = prices.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public static PriceTable defaults() {
        return withOverrides(Map.of());
    }

    /** The defaults plus {@code overrides} (model name → price), which win. */
    public static PriceTable withOverrides(Map<String, Price> overrides) {
        Map<String, Price> all = new LinkedHashMap<>(DEFAULTS);
        overrides.forEach((model, price) -> all.put(model.toLowerCase(Locale.ROOT), price));
        return new PriceTable(all);
    }

    /**
     * The price of {@code model} as served by a provider; {@code local} providers are free unless
     * the model was priced explicitly by exact name.
     */
    public Price priceOf(String model, boolean local) {
        if (model == null) {
            return Price.FREE;
        }
        if (resolved.size() > 10_000) {
            resolved.clear(); // unbounded model names from a misbehaving upstream must not grow this
        }
        return resolved.computeIfAbsent(local ? "L" + model : "R" + model, k -> lookup(model, local));
    }

    private Price lookup(String model, boolean local) {
        String key = model.toLowerCase(Locale.ROOT);
        Price exact = prices.get(key);
        if (exact != null) {
            return exact;
        }
        if (local) {
            return Price.FREE;
        }
        for (String known : byLengthDesc) {
            if (key.startsWith(known)) {
                return prices.get(known);
            }
        }
        return Price.FREE;
    }

    /** Nano-dollars as a USD amount for display, e.g. {@code 0.000123}. */
    public static BigDecimal usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(9, RoundingMode.UNNECESSARY).stripTrailingZeros();
    }

    private static Map<String, Price> listPrices() {
        Map<String, Price> m = new LinkedHashMap<>();
        // OpenAI, USD per 1M input / output tokens
        m.put("gpt-5", Price.perMillion("1.25", "10.00"));
        m.put("gpt-5-mini", Price.perMillion("0.25", "2.00"));
        m.put("gpt-5-nano", Price.perMillion("0.05", "0.40"));
        m.put("gpt-4.1", Price.perMillion("2.00", "8.00"));
        m.put("gpt-4.1-mini", Price.perMillion("0.40", "1.60"));
        m.put("gpt-4.1-nano", Price.perMillion("0.10", "0.40"));
        m.put("gpt-4o", Price.perMillion("2.50", "10.00"));
        m.put("gpt-4o-mini", Price.perMillion("0.15", "0.60"));
        m.put("gpt-4-turbo", Price.perMillion("10.00", "30.00"));
        m.put("gpt-4", Price.perMillion("30.00", "60.00"));
        m.put("gpt-3.5-turbo", Price.perMillion("0.50", "1.50"));
        m.put("o1", Price.perMillion("15.00", "60.00"));
        m.put("o3", Price.perMillion("2.00", "8.00"));
        m.put("o3-mini", Price.perMillion("1.10", "4.40"));
        m.put("o4-mini", Price.perMillion("1.10", "4.40"));
        // Anthropic
        m.put("claude-opus-4-5", Price.perMillion("5.00", "25.00"));
        m.put("claude-opus-4-1", Price.perMillion("15.00", "75.00"));
        m.put("claude-opus-4", Price.perMillion("15.00", "75.00"));
        m.put("claude-sonnet-4-5", Price.perMillion("3.00", "15.00"));
        m.put("claude-sonnet-4", Price.perMillion("3.00", "15.00"));
        m.put("claude-3-7-sonnet", Price.perMillion("3.00", "15.00"));
        m.put("claude-3-5-sonnet", Price.perMillion("3.00", "15.00"));
        m.put("claude-haiku-4-5", Price.perMillion("1.00", "5.00"));
        m.put("claude-3-5-haiku", Price.perMillion("0.80", "4.00"));
        m.put("claude-3-haiku", Price.perMillion("0.25", "1.25"));
        m.put("claude-3-opus", Price.perMillion("15.00", "75.00"));
        return m;
    }
}
