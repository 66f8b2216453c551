package dev.levee.internal.limits;

import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.LimitStatus;
import dev.levee.config.LeveeConfig;
import dev.levee.config.Price;
import dev.levee.config.PriceTable;
import dev.levee.config.Quota;
import dev.levee.config.RouteConfig;
import dev.levee.config.TierConfig;
import dev.levee.internal.chain.Events;
import dev.levee.internal.tokens.TokenEstimator;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import io.vertx.core.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The limits link: a virtual key's requests, tokens, requests in flight and spend, and its team's, are
 * reserved before the request goes on and reconciled when it ends.
 *
 * <p>The reservation is the request's estimate — its prompt counted with the tokenizer plus its
 * {@code max_tokens} (or {@code limits.completion_estimate}), priced at the route's dearest tier — taken
 * from every counter at once or from none. When the request ends, however it ends (answered, failed, a
 * stream finished or cut, the caller gone), the estimate is replaced by the usage and exact cost the
 * provider reported, and what it held is released. So 50 concurrent first requests cannot spend a
 * budget many times over: each must find room for its estimate among the others' reservations.
 *
 * <p>Refusals: over a rate limit 429 with the time to retry; a spent budget 402, which SDKs do not retry;
 * a request that could never fit its limit 400 naming {@code max_tokens}. The master key is never limited.
 */
public final class Limits implements Interceptor {
    /** Where the request's caller stands against its rate limits: the gateway's {@code x-ratelimit-*} headers. */
    public static final RequestContext.Key<LimitStatus> STATUS = RequestContext.Key.of("limit_status",
            LimitStatus.class);
    private static final long MINUTE = 60_000;
    /** Prompts up to this long are counted exactly for the reservation; longer ones approximated. */
    private static final int EXACT_PROMPT_CHARS = 4096;

    private final LeveeConfig config;
    private final Counters counters;
    private final String prefix;
    private final java.util.concurrent.ConcurrentHashMap<String, CounterNames[]> names =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Per team with a budget in the config, the share of it spent or reserved: a gauge, NaN until known. */
    private final Map<String, AtomicReference<Double>> teamBudgetUsed = new HashMap<>();

    private Limits(LeveeConfig config, Counters counters, MeterRegistry registry) {
        this.config = config;
        this.counters = counters;
        this.prefix = config.state().keyPrefix();
        config.limits().teams().forEach((team, quota) -> {
            if (quota.budgetUsd() != null) {
                AtomicReference<Double> used = new AtomicReference<>(Double.NaN);
                teamBudgetUsed.put(team, used);
                Gauge.builder("levee.budget.used.ratio", used, AtomicReference::get)
                        .description("The share of a team's budget for the current period spent or reserved, as"
                                + " its last request found it (every instance sees the same when state is shared)")
                        .tag("team", team).tag("period", quota.budgetPeriod()).register(registry);
            }
        });
    }

    /** The link over the configured counts: in this process, or in Redis ({@code state.redis}). */
    public static Limits create(LeveeConfig config, Vertx vertx, Clock clock, Events events, MeterRegistry registry) {
        Counters local = new LocalCounters(clock);
        Counters counters = config.state().shared()
                ? new SharedCounters(vertx, new RedisCounters(vertx, config.state()), local, config.state(), events)
                : local;
        return new Limits(config, counters, registry);
    }

    public Future<Void> close() {
        return counters.close();
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        ChatRequest request = chain.request();
        Principal principal = ctx.get(RequestContext.PRINCIPAL);
        if (principal == null || principal.master()) {
            return chain.proceed(request);
        }
        Quota key = principal.limits().quota().over(config.limits().keys());
        Quota team = config.limits().team(principal.team());
        RouteConfig route = ctx.route();
        Quota keyOnRoute = route == null ? Quota.NONE : route.keyLimits();
        Quota teamOnRoute = route == null || principal.team() == null ? Quota.NONE : route.teamLimits();
        if (!key.limitsAnything() && !team.limitsAnything() && !keyOnRoute.limitsAnything()
                && !teamOnRoute.limitsAnything()) {
            return chain.proceed(request);
        }
        Estimate estimate = estimate(ctx, request);
        Instant now = ctx.clock().instant();
        CounterNames[] scopes = scopes(principal);
        Taken taken = new Taken();
        taken.add(scopes[0], key, "this API key", estimate, now);
        int teamBudget = -1;
        if (principal.team() != null) {
            taken.add(scopes[1], team, "team '" + principal.team() + "'", estimate, now);
            if (team.budgetUsd() != null) {
                teamBudget = taken.counters.size() - 1; // the budget is the last count a quota takes
            }
        }
        if (route != null && (keyOnRoute.limitsAnything() || teamOnRoute.limitsAnything())) {
            taken.add(scopes[0].onRoute(route.name()), keyOnRoute, "this API key on route '" + route.name() + "'",
                    estimate, now);
            if (principal.team() != null) {
                taken.add(scopes[1].onRoute(route.name()), teamOnRoute, "team '" + principal.team() + "' on route '"
                        + route.name() + "'", estimate, now);
            }
        }
        List<Counter> list = taken.counters;
        for (int i = 0; i < list.size(); i++) {
            LeveeException never = neverFits(list.get(i), taken.quotas.get(i), taken.owners.get(i), ctx.requestId());
            if (never != null) {
                return Future.failedFuture(never);
            }
        }
        Reservation reservation = new Reservation(newId(), list);
        int budgetIndex = teamBudget;
        Context context = Vertx.currentContext();
        Promise<Reply> reply = Promise.promise();
        counters.reserve(reservation).onComplete(ar -> onContext(context, () -> {
            if (ar.failed()) {
                reply.fail(unavailable(ar.cause(), ctx.requestId()));
                return;
            }
            Admission admission = ar.result();
            if (budgetIndex >= 0) {
                teamBudgetSeen(principal.team(), list.get(budgetIndex), admission, budgetIndex);
            }
            LimitStatus status = status(taken, admission, now);
            ctx.put(STATUS, status);
            if (!admission.admitted()) {
                reply.fail(refusal(list.get(admission.refused()), admission, status,
                        taken.owners.get(admission.refused()), ctx.requestId()));
                return;
            }
            Reply.settle(chain.proceed(request), new Settlement(ctx, reservation, admission.takenAtMillis(), estimate),
                    ctx.requestId())
                    .onComplete(reply);
        }));
        return reply.future();
    }

    private void teamBudgetSeen(String team, Counter budget, Admission admission, int index) {
        AtomicReference<Double> used = teamBudgetUsed.get(team);
        if (used == null || budget.kind() != Counter.Kind.BUDGET) {
            return;
        }
        if (admission.refused() == index) {
            used.set(1.0);
        } else if (admission.admitted() && budget.limit() > 0) {
            used.set((double) (budget.limit() - admission.remaining()[index]) / budget.limit());
        }
    }

    /** On the way back: the reservation becomes what the request really used. */
    private final class Settlement implements Reply.Settlement {
        private final RequestContext ctx;
        private final Reservation reservation;
        private final long takenAtMillis;
        private final Estimate estimate;

        Settlement(RequestContext ctx, Reservation reservation, long takenAtMillis, Estimate estimate) {
            this.ctx = ctx;
            this.reservation = reservation;
            this.takenAtMillis = takenAtMillis;
            this.estimate = estimate;
        }

        @Override
        public ChatResponse answered(ChatResponse response) {
            Long cost = ctx.get(RequestContext.COST_NANOS);
            settle(response.usage().totalTokens(), cost == null ? 0 : cost);
            return response;
        }

        @Override
        public void failed(LeveeException error, String partialText) {
            if (partialText == null) {
                settle(0, 0); // no answer was produced: nothing was used
            } else {
                // a stream that broke off: what it delivered, priced as the reservation was
                int completion = TokenEstimator.count(partialText);
                settle(estimate.promptTokens + completion,
                        estimate.dearest.costNanos(estimate.promptTokens, completion));
            }
        }

        private void settle(long tokens, long costNanos) {
            List<Counter> list = reservation.counters();
            long[] actual = new long[list.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = switch (list.get(i).kind()) {
                    case REQUESTS -> 1;
                    case TOKENS -> tokens;
                    case CONCURRENCY -> 0;
                    case BUDGET -> costNanos;
                };
            }
            counters.settle(reservation, takenAtMillis, actual);
        }
    }

    /** The request's estimate: prompt tokens counted, completion tokens at most, and its price. */
    private record Estimate(int promptTokens, int completionTokens, Price dearest) {
        long tokens() {
            return (long) promptTokens + completionTokens;
        }

        long costNanos() {
            return dearest.costNanos(promptTokens, completionTokens);
        }
    }

    private Estimate estimate(RequestContext ctx, ChatRequest request) {
        int prompt = request.isEmbedding() ? TokenEstimator.inputTokens(request.embedding().texts(), EXACT_PROMPT_CHARS)
                : TokenEstimator.promptTokens(request.messages(), EXACT_PROMPT_CHARS);
        int completion = request.isEmbedding() ? 0 // an embedding has input tokens only
                : request.maxTokens() != null ? request.maxTokens() : config.limits().completionEstimate();
        RouteConfig route = ctx.route();
        Price dearest = Price.FREE;
        Integer tierCap = 0;
        if (route != null) {
            for (TierConfig tier : route.tiers()) {
                Price p = config.priceOf(tier.provider(), tier.model());
                if (p.costNanos(prompt, completion) > dearest.costNanos(prompt, completion)) {
                    dearest = p;
                }
                tierCap = tier.maxTokens() == null || tierCap == null ? null : Math.max(tierCap, tier.maxTokens());
            }
        }
        if (tierCap != null && tierCap > 0) {
            completion = Math.min(completion, tierCap); // no tier answers with more than its cap
        }
        return new Estimate(prompt, completion, dearest);
    }

    /** The counters a request takes, each with the quota it comes from and whose it is, for messages. */
    private final class Taken {
        final List<Counter> counters = new ArrayList<>(8);
        final List<Quota> quotas = new ArrayList<>(8);
        final List<String> owners = new ArrayList<>(8);

        void add(CounterNames names, Quota quota, String owner, Estimate estimate, Instant now) {
            if (!quota.limitsAnything()) {
                return;
            }
            long ttl = config.limits().reservationTtl().toMillis();
            if (quota.rpm() != null) {
                take(new Counter(names.rpm, Counter.Kind.REQUESTS, quota.rpm(), 1, MINUTE, MINUTE + 1000), quota,
                        owner);
            }
            if (quota.tpm() != null) {
                take(new Counter(names.tpm, Counter.Kind.TOKENS, quota.tpm(), estimate.tokens(), MINUTE,
                        MINUTE + 1000), quota, owner);
            }
            if (quota.maxConcurrent() != null) {
                take(new Counter(names.inflight, Counter.Kind.CONCURRENCY, quota.maxConcurrent(), 1, ttl, ttl),
                        quota, owner);
            }
            if (quota.budgetUsd() != null) {
                BudgetPeriod period = names.budget(quota.budgetPeriod(), now);
                long lifetime = period.end.toEpochMilli() - now.toEpochMilli() + Duration.ofDays(1).toMillis();
                take(new Counter(period.counter, Counter.Kind.BUDGET, nanos(quota.budgetUsd()), estimate.costNanos(),
                        ttl, lifetime), quota, owner);
            }
        }

        private void take(Counter counter, Quota quota, String owner) {
            counters.add(counter);
            quotas.add(quota);
            owners.add(owner);
        }
    }

    /** A request larger than a limit by itself: 400, not a 429 that no retry could ever pass. */
    private static LeveeException neverFits(Counter c, Quota quota, String owner, String requestId) {
        if (c.amount() <= c.limit() || c.kind() == Counter.Kind.REQUESTS || c.kind() == Counter.Kind.CONCURRENCY) {
            return null;
        }
        String message = c.kind() == Counter.Kind.TOKENS
                ? "this request may use up to " + c.amount() + " tokens (prompt and max_tokens), more than the "
                    + c.limit() + " tokens per minute " + owner + " may use: lower max_tokens or shorten the prompt"
                : "this request may cost up to $" + PriceTable.usd(c.amount()).toPlainString() + ", more than the budget of $"
                    + quota.budgetUsd().toPlainString() + " per " + quota.budgetPeriod() + " of " + owner
                    + ": lower max_tokens or shorten the prompt";
        return new LeveeException(LeveeException.Kind.INVALID_REQUEST, message, requestId, "max_tokens");
    }

    private static LeveeException refusal(Counter c, Admission admission, LimitStatus status, String owner,
                                          String requestId) {
        long retrySeconds = Math.max(1, (admission.retryAfterMillis() + 999) / 1000);
        return switch (c.kind()) {
            case REQUESTS -> new LeveeException(LeveeException.Kind.RATE_LIMITED, "rate limit reached: " + owner
                    + " may send " + c.limit() + " requests per minute; retry in " + retrySeconds + " s", requestId);
            case TOKENS -> new LeveeException(LeveeException.Kind.RATE_LIMITED, "rate limit reached: " + owner
                    + " may use " + c.limit() + " tokens per minute and this request may use up to " + c.amount()
                    + "; retry in " + retrySeconds + " s", requestId);
            case CONCURRENCY -> new LeveeException(LeveeException.Kind.RATE_LIMITED, "too many requests in flight: "
                    + owner + " may have " + c.limit() + " at once", requestId);
            case BUDGET -> new LeveeException(LeveeException.Kind.BUDGET_EXCEEDED, "budget exceeded: " + owner
                    + " has spent its budget of $" + PriceTable.usd(c.limit()).toPlainString() + " for this period"
                    + "; it resets at " + status.budgetResetsAt(), requestId);
        };
    }

    private static LeveeException unavailable(Throwable cause, String requestId) {
        if (cause instanceof SharedCounters.Unavailable u) {
            return new LeveeException(LeveeException.Kind.UNAVAILABLE, "limits_unavailable",
                    "the request cannot be admitted right now: its " + u.kind.label
                            + " limit is kept in Redis, which cannot be reached, and that limit fails closed",
                    requestId, null);
        }
        return new LeveeException(LeveeException.Kind.UNAVAILABLE, "limits_unavailable",
                "the request cannot be admitted right now: its limits could not be checked", requestId, null);
    }

    /** The tightest requests and tokens windows, for the headers; the budget's reset when it refused. */
    private static LimitStatus status(Taken taken, Admission admission, Instant now) {
        LimitStatus.Window requests = null;
        LimitStatus.Window tokens = null;
        List<Counter> list = taken.counters;
        Instant budgetReset = null;
        for (int i = 0; i < list.size(); i++) {
            Counter c = list.get(i);
            LimitStatus.Window w = new LimitStatus.Window(c.limit(), admission.remaining()[i],
                    admission.resetMillis()[i]);
            if (c.kind() == Counter.Kind.REQUESTS && (requests == null || w.remaining() < requests.remaining())) {
                requests = w;
            } else if (c.kind() == Counter.Kind.TOKENS && (tokens == null || w.remaining() < tokens.remaining())) {
                tokens = w;
            } else if (c.kind() == Counter.Kind.BUDGET && i == admission.refused()) {
                budgetReset = Quota.periodEnd(taken.quotas.get(i).budgetPeriod(), now);
            }
        }
        return new LimitStatus(requests, tokens, admission.admitted() ? null : admission.retryAfterMillis(),
                budgetReset);
    }

    /**
     * Where a key's counts and its team's live: {@code prefix:{tag}:key:ID} and {@code prefix:{tag}:team:NAME},
     * with one hash tag (the team, else the key) for all of a request's counts, so that one script can
     * take them on Redis Cluster. Kept per key with their counters' names: they are the same for each
     * of its requests.
     */
    private CounterNames[] scopes(Principal principal) {
        String id = principal.keyId() + '\n' + principal.team();
        CounterNames[] scopes = names.get(id);
        if (scopes == null) {
            String tag = prefix + ":{" + (principal.team() != null ? "team:" + encode(principal.team())
                    : "key:" + encode(principal.keyId())) + "}:";
            scopes = new CounterNames[] {new CounterNames(tag + "key:" + encode(principal.keyId())),
                    principal.team() == null ? null : new CounterNames(tag + "team:" + encode(principal.team()))};
            if (names.size() > 100_000) {
                names.clear(); // keys are bounded by the store; this only guards against surprises
            }
            names.put(id, scopes);
        }
        return scopes;
    }

    /**
     * A scope's counter names, made once: the same strings on every request, so building them costs
     * nothing and the counters' maps find them by a hash the string already holds.
     */
    private static final class CounterNames {
        private final String scope;
        final String rpm;
        final String tpm;
        final String inflight;
        private final String budget;
        /** The budget counter of the period in progress, by period (day, week, month), until it ends. */
        private final BudgetPeriod[] periods = new BudgetPeriod[3];
        /** The scope's counts on each route that has limits of its own. */
        private final java.util.concurrent.ConcurrentHashMap<String, CounterNames> routes =
                new java.util.concurrent.ConcurrentHashMap<>();

        CounterNames(String scope) {
            this.scope = scope;
            rpm = scope + ":rpm";
            tpm = scope + ":tpm";
            inflight = scope + ":inflight";
            budget = scope + ":budget:";
        }

        CounterNames onRoute(String route) {
            return routes.computeIfAbsent(route, r -> new CounterNames(scope + ":route:" + encode(r)));
        }

        BudgetPeriod budget(String period, Instant now) {
            int i = switch (period) {
                case "day" -> 0;
                case "week" -> 1;
                default -> 2;
            };
            BudgetPeriod current = periods[i]; // a race only computes the same period twice
            if (current == null || !now.isBefore(current.end) || now.isBefore(current.start)) {
                java.time.LocalDate start = Quota.periodStart(period, now);
                current = new BudgetPeriod(budget + period + ":" + start,
                        start.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), Quota.periodEnd(period, now));
                periods[i] = current;
            }
            return current;
        }
    }

    /** A budget's counter for one period, and when the period starts and ends. */
    private record BudgetPeriod(String counter, Instant start, Instant end) {
    }

    private static long nanos(BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8); // no braces or colons reach a Redis key
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
