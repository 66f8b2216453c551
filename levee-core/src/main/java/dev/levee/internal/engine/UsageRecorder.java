package dev.levee.internal.engine;

import dev.levee.ChatResponse;
import dev.levee.LeveeException;
import dev.levee.Usage;
import dev.levee.spi.Interceptor;
import dev.levee.spi.Principal;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import dev.levee.spi.UsageRow;
import dev.levee.spi.UsageSink;
import io.vertx.core.Future;
import java.util.Locale;

/**
 * Hands one {@link UsageRow} per request to the usage sink as the request ends — refused requests
 * too, which is why it sits outside validation and authentication. It reads the caller's
 * {@link Principal} from the request (put there by authentication on the way down) and the cost
 * (put there by metering on the way back).
 */
final class UsageRecorder implements Interceptor {
    private final UsageSink sink;

    UsageRecorder(UsageSink sink) {
        this.sink = sink;
    }

    @Override
    public Future<Reply> intercept(Chain chain) {
        RequestContext ctx = chain.context();
        return Reply.settle(chain.proceed(chain.request()), new Reply.Settlement() {
            @Override
            public ChatResponse answered(ChatResponse response) {
                Long cost = ctx.get(RequestContext.COST_NANOS);
                Usage usage = response.usage();
                record(ctx, response.route(), response.provider(), response.modelUsed(), response.fallbackLevel(),
                        "ok", null, usage, cost == null ? 0 : cost);
                return response;
            }

            @Override
            public void failed(LeveeException error, String partialText) {
                Long cost = ctx.get(RequestContext.COST_NANOS);
                record(ctx, ctx.route() != null ? ctx.route().name() : ctx.request().route(), null, null, null,
                        error.kind().name().toLowerCase(Locale.ROOT), error.code(), Usage.NONE,
                        cost == null ? 0 : cost);
            }
        }, ctx.requestId());
    }

    private void record(RequestContext ctx, String route, String provider, String model, Integer tier, String status,
                        String errorCode, Usage usage, long costNanos) {
        Principal who = ctx.get(RequestContext.PRINCIPAL);
        UsageRow row = new UsageRow(ctx.requestId(), ctx.startedAt(), who == null ? null : who.keyId(),
                who == null ? null : who.team(), who == null ? null : who.user(), route, provider, model, tier,
                status, errorCode, usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), costNanos,
                ctx.elapsedMillis(),
                ctx.ttftMillis(), ctx.stream(), ctx.request().options().metadata());
        try {
            sink.accept(row);
        } catch (RuntimeException e) {
            // a broken sink must not fail the request it records
        }
    }
}
