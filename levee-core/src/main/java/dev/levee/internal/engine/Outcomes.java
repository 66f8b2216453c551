package dev.levee.internal.engine;

import dev.levee.AnomalyScore;
import dev.levee.Attempt;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.config.LeveeConfig;
import dev.levee.config.LoggingConfig.PromptLogging;
import dev.levee.config.RouteConfig;
import dev.levee.internal.chain.Events;
import dev.levee.internal.text.PromptDigest;
import dev.levee.internal.text.PromptSanitizer;
import dev.levee.internal.text.Printable;
import dev.levee.internal.resilience.Breakers;
import dev.levee.spi.AnomalyDetector;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outermost link: announces each request and reports its end exactly once — answered (with its
 * anomaly score and cost) or failed, refused requests included. Logs, metrics and telemetry are
 * listeners of these events; this link knows nothing of them.
 */
final class Outcomes implements Interceptor {
    private final LeveeConfig config;
    private final Events events;
    private final Breakers breakers;
    private final AnomalyDetector anomalyDetector;
    private final PromptDigest promptDigest;

    Outcomes(LeveeConfig config, Events events, Breakers breakers, AnomalyDetector anomalyDetector,
             PromptDigest promptDigest) {
        this.config = config;
        this.events = events;
        this.breakers = breakers;
        this.anomalyDetector = anomalyDetector;
        this.promptDigest = promptDigest;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        events.emit(started(ctx));
        return Reply.settle(chain.proceed(chain.request()), new Reply.Settlement() {
            @Override
            public ChatResponse answered(ChatResponse response) {
                AnomalyScore anomaly;
                try {
                    // vectors have no text to judge: the detector's checks are for answers
                    anomaly = ctx.request().isEmbedding() ? AnomalyScore.NONE
                            : anomalyDetector.score(ctx.request(), response, ctx.ttftMillis());
                } catch (RuntimeException e) {
                    anomaly = AnomalyScore.NONE; // a broken detector must not break answers
                }
                Long cost = ctx.get(RequestContext.COST_NANOS);
                events.emit(new LeveeEvent.RequestCompleted(ctx.requestId(), ctx.clock().instant(), ctx.request(),
                        response, ctx.ttftMillis(), ctx.stream(), anomaly, breakerStates(response.attempts()),
                        cost == null ? 0 : cost));
                return response;
            }

            @Override
            public void failed(LeveeException error, String partialText) {
                List<Attempt> attempts = ctx.attempts();
                events.emit(new LeveeEvent.RequestFailed(ctx.requestId(), ctx.clock().instant(), routeName(ctx),
                        ctx.request(), error, ctx.elapsedMillis(), ctx.stream(), attempts, breakerStates(attempts),
                        ctx.ttftMillis(), partialText));
            }
        }, ctx.requestId());
    }

    /** The resolved route's name, else the alias the caller asked for. */
    private String routeName(RequestContext ctx) {
        RouteConfig route = ctx.route();
        if (route != null) {
            return route.name();
        }
        RouteConfig asked = config.route(ctx.request().route());
        return asked != null ? asked.name() : Printable.of(ctx.request().route(), 64); // a caller's string: log-safe
    }

    private Map<String, String> breakerStates(List<Attempt> attempts) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            states.computeIfAbsent(a.target(), t -> breakers.forTarget(t).state());
        }
        return states;
    }

    private LeveeEvent.RequestStarted started(RequestContext ctx) {
        ChatRequest request = ctx.request();
        String prompt = request.lastUserText();
        PromptLogging mode = config.logging().prompts();
        String faults = null;
        CallOptions o = request.options();
        if (o.injectsFaults()) {
            faults = "force_primary_failure=" + o.forcePrimaryFailure() + ", force_all_models_fail="
                    + o.forceAllModelsFail() + ", simulate_high_load=" + o.simulateHighLoad()
                    + (o.forceFailTiers().isEmpty() ? "" : ", force_fail_tiers=" + o.forceFailTiers());
        }
        return new LeveeEvent.RequestStarted(ctx.requestId(), ctx.startedAt(), routeName(ctx), request, ctx.stream(),
                mode == PromptLogging.HASH ? promptDigest.of(prompt) : null, prompt.length(),
                mode == PromptLogging.SANITIZED ? PromptSanitizer.sanitize(prompt) : null, faults);
    }
}
