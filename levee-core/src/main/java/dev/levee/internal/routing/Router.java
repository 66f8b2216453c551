package dev.levee.internal.routing;

import dev.levee.ChatRequest;
import dev.levee.config.ResilienceConfig;
import dev.levee.config.RuleBasedConfig;
import dev.levee.internal.chain.Events;
import dev.levee.internal.chain.RequestChain;
import dev.levee.internal.chain.RequestState;
import dev.levee.internal.resilience.Bulkheads;
import dev.levee.internal.resilience.Degradation;
import dev.levee.internal.resilience.TargetCall;
import dev.levee.spi.Reply;
import io.vertx.core.Future;
import java.util.random.RandomGenerator;

/**
 * The end of the chain and the only step that calls upstream more than once: the route strategy
 * chooses the targets, each is called through its guards, and when none answers the rule-based
 * reply does.
 */
public final class Router implements RequestChain.Terminal {
    final TargetCall targets;
    final RouteStrategy strategy = new OrderedTiers();
    final ResilienceConfig.Timeout timeouts;
    final RuleBasedReply ruleBased;
    final Events events;
    final Bulkheads bulkheads;
    final Degradation degradation;

    public Router(TargetCall targets, ResilienceConfig.Timeout timeouts, RuleBasedConfig ruleBased,
                  RandomGenerator random, Events events, Bulkheads bulkheads, Degradation degradation) {
        this.targets = targets;
        this.timeouts = timeouts;
        this.ruleBased = new RuleBasedReply(ruleBased, random);
        this.events = events;
        this.bulkheads = bulkheads;
        this.degradation = degradation;
    }

    @Override
    public Future<Reply> answer(RequestState context, ChatRequest request) {
        TierWalk walk = new TierWalk(this, context, request);
        // The walk's place in a target's bulkhead is held until the request ends, a stream's included.
        return Reply.settle(walk.start(), new Reply.Settlement() {
            @Override
            public dev.levee.ChatResponse answered(dev.levee.ChatResponse response) {
                walk.release();
                return response;
            }

            @Override
            public void failed(dev.levee.LeveeException error, String partialText) {
                walk.release();
            }
        }, context.requestId());
    }
}
