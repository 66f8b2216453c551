package dev.levee.routing;

import dev.levee.ChatRequest;
import dev.levee.config.FaultInjectionConfig;
import dev.levee.config.ResilienceConfig;
import dev.levee.config.RuleBasedConfig;
import dev.levee.pipeline.Events;
import dev.levee.pipeline.Reply;
import dev.levee.pipeline.RequestContext;
import dev.levee.resilience.Backoff;
import dev.levee.resilience.Breakers;
import dev.levee.spi.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Tiered fallback, the terminal step of the pipeline and the only one that calls upstream more than
 * once: each tier in order behind its breaker, with retries inside the tier's share of the deadline,
 * then the rule-based reply.
 */
public final class Router {
    final Vertx vertx;
    final Map<String, ProviderAdapter> adapters;
    final Breakers breakers;
    final Backoff backoff;
    final ResilienceConfig.Timeout timeouts;
    final FaultInjectionConfig faults;
    final RuleBasedReply ruleBased;
    final Events events;

    public Router(Vertx vertx, Map<String, ProviderAdapter> adapters, Breakers breakers, Backoff backoff,
                  ResilienceConfig.Timeout timeouts, FaultInjectionConfig faults, RuleBasedConfig ruleBased,
                  RandomGenerator random, Events events) {
        this.vertx = vertx;
        this.adapters = Map.copyOf(adapters);
        this.breakers = breakers;
        this.backoff = backoff;
        this.timeouts = timeouts;
        this.faults = faults;
        this.ruleBased = new RuleBasedReply(ruleBased, random);
        this.events = events;
    }

    public Future<Reply> route(RequestContext context, ChatRequest request) {
        return context.stream()
                ? new StreamWalk(this, context, request).start()
                : new CompletionWalk(this, context, request).start();
    }
}
