package dev.levee.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import dev.levee.TestSupport;
import dev.levee.Usage;
import dev.levee.spi.Interceptor;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.Reply;
import dev.levee.spi.RequestContext;
import dev.levee.simulator.Simulator;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request chain's contract, through the facade: the caller's links run in order, each may
 * proceed at most once, may answer by itself, may rewrite the route, hands attributes down, and sees
 * the outcome — usage, cost or error — on the way back, for a stream too.
 */
class ChainContractTest {
    private static Simulator sim;

    @BeforeAll
    static void start() {
        sim = TestSupport.simulator();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.journal().clear();
    }

    private static Levee levee(Interceptor... links) {
        Levee.Builder builder = Levee.builder().logRequests(false).config(TestSupport.ollamaConfig(sim, """
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                  other:
                    tiers:
                      - target: sim/other
                    rule_based_fallback: false
                pricing:
                  primary: { input: 1.0, output: 2.0 }
                """));
        for (Interceptor link : links) {
            builder.interceptor(link);
        }
        return builder.build();
    }

    /** A link that records its name, going down and coming back. */
    private static Interceptor recording(String name, List<String> log) {
        return chain -> {
            log.add(name + " down");
            return chain.proceed(chain.request()).map(reply -> {
                log.add(name + " up");
                return reply;
            });
        };
    }

    @Test
    void linksRunInTheOrderGivenAndUnwindInReverse() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (Levee levee = levee(recording("a", log), recording("b", log))) {
            levee.process("hello");
        }
        assertThat(log).containsExactly("a down", "b down", "b up", "a up");
    }

    @Test
    void aLinkThatProceedsTwiceIsNamedAndTheRequestFails() {
        Interceptor twice = new ProceedsTwice();
        try (Levee levee = levee(twice)) {
            assertThatThrownBy(() -> levee.process("hello"))
                    .isInstanceOf(LeveeException.class)
                    .hasRootCauseMessage("interceptor " + ProceedsTwice.class.getName()
                            + " must call proceed() at most once");
        }
    }

    static final class ProceedsTwice implements Interceptor {
        @Override
        public Future<Reply> intercept(Chain chain) {
            chain.proceed(chain.request());
            return chain.proceed(chain.request());
        }
    }

    @Test
    void aLinkThatReturnsNullIsNamed() {
        Interceptor returnsNull = new ReturnsNull();
        try (Levee levee = levee(returnsNull)) {
            assertThatThrownBy(() -> levee.process("hello"))
                    .isInstanceOf(LeveeException.class)
                    .hasRootCauseMessage("interceptor " + ReturnsNull.class.getName() + " returned null");
        }
    }

    static final class ReturnsNull implements Interceptor {
        @Override
        public Future<Reply> intercept(Chain chain) {
            return null;
        }
    }

    @Test
    void aLinkCanAnswerByItselfAndNothingGoesUpstream() {
        Interceptor cache = chain -> Future.succeededFuture(new Reply.Complete(new ChatResponse("cached", "cache",
                null, "default", Usage.NONE, FinishReason.STOP, 0, 0, chain.context().requestId(), Instant.now(),
                List.of())));
        try (Levee levee = levee(cache)) {
            ChatResponse r = levee.process("hello");
            assertThat(r.text()).isEqualTo("cached");
        }
        assertThat(sim.journal().count("primary")).isZero();
    }

    @Test
    void aLinkCanRefuseARequestBeforeTheRouteIsEvenResolved() {
        Interceptor auth = chain -> Future.failedFuture(new LeveeException(LeveeException.Kind.INVALID_REQUEST,
                "no key", chain.context().requestId()));
        try (Levee levee = levee(auth)) {
            assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("no-such-route").user("hi").build()))
                    .isInstanceOf(LeveeException.class)
                    .satisfies(e -> assertThat(((LeveeException) e).kind()).isEqualTo(LeveeException.Kind.INVALID_REQUEST));
        }
        assertThat(sim.journal().count("primary")).isZero();
    }

    @Test
    void aLinkCanRewriteTheRouteBeforeItIsResolved() {
        Interceptor rewrite = chain -> chain.proceed(chain.request().withRoute("other"));
        try (Levee levee = levee(rewrite)) {
            ChatResponse r = levee.process("hello");
            assertThat(r.modelUsed()).isEqualTo("other");
            assertThat(r.route()).isEqualTo("other");
        }
        assertThat(sim.journal().count("primary")).isZero();
        assertThat(sim.journal().count("other")).isEqualTo(1);
    }

    @Test
    void attributesPutByOneLinkAreSeenByTheNextOnBothWays() {
        RequestContext.Key<String> principal = RequestContext.Key.of("principal", String.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        Interceptor auth = chain -> {
            chain.context().put(principal, "team-a");
            return chain.proceed(chain.request());
        };
        Interceptor limits = chain -> {
            seen.add("down " + chain.context().get(principal));
            return chain.proceed(chain.request()).map(reply -> {
                seen.add("up " + chain.context().get(principal) + " " + chain.context().route().name());
                return reply;
            });
        };
        try (Levee levee = levee(auth, limits)) {
            levee.process("hello");
        }
        assertThat(seen).containsExactly("down team-a", "up team-a default");
    }

    /** Records what {@link Reply#settle} reports on the way back. */
    private static final class Outcome implements Interceptor {
        final CompletableFuture<String> seen = new CompletableFuture<>();

        @Override
        public Future<Reply> intercept(Chain chain) {
            RequestContext ctx = chain.context();
            return Reply.settle(chain.proceed(chain.request()), new Reply.Settlement() {
                @Override
                public ChatResponse answered(ChatResponse response) {
                    seen.complete("answered tokens=" + response.usage().totalTokens()
                            + " cost>0=" + (ctx.get(RequestContext.COST_NANOS) > 0));
                    return response;
                }

                @Override
                public void failed(LeveeException error, String partialText) {
                    seen.complete("failed " + error.kind());
                }
            }, ctx.requestId());
        }
    }

    @Test
    void theOutcomeWithUsageAndCostIsSeenOnTheWayBack() throws Exception {
        Outcome outcome = new Outcome();
        int tokens;
        try (Levee levee = levee(outcome)) {
            tokens = levee.process("hello").usage().totalTokens();
        }
        assertThat(tokens).isPositive();
        assertThat(outcome.seen.get(5, TimeUnit.SECONDS)).isEqualTo("answered tokens=" + tokens + " cost>0=true");
    }

    @Test
    void theOutcomeOfAStreamIsSeenWhenItEnds() throws Exception {
        Outcome outcome = new Outcome();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        try (Levee levee = levee(outcome)) {
            levee.stream(ChatRequest.of("hello"), new StreamHandler() {
                @Override
                public void onChunk(ChatChunk chunk) {
                    assertThat(outcome.seen).isNotDone(); // not before the stream has ended
                }

                @Override
                public void onComplete(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(LeveeException error) {
                    done.completeExceptionally(error);
                }
            });
            int tokens = done.get(5, TimeUnit.SECONDS).usage().totalTokens();
            assertThat(outcome.seen.get(5, TimeUnit.SECONDS)).isEqualTo("answered tokens=" + tokens + " cost>0=true");
        }
    }

    @Test
    void aFailureIsSeenOnTheWayBackToo() throws Exception {
        Outcome outcome = new Outcome();
        sim.faults().set("other", dev.levee.simulator.FaultSpec.parse("status=503"));
        try (Levee levee = levee(outcome)) {
            assertThatThrownBy(() -> levee.complete(ChatRequest.builder().route("other").user("hi").build()))
                    .isInstanceOf(LeveeException.class);
        } finally {
            sim.faults().clearAll();
        }
        assertThat(outcome.seen.get(5, TimeUnit.SECONDS)).isEqualTo("failed UNAVAILABLE");
    }

    @Test
    void everyRequestIsAnnouncedAndEndsOnceEvenWhenALinkRefusesIt() {
        List<String> events = new CopyOnWriteArrayList<>();
        Function<LeveeEvent, String> name = e -> e.getClass().getSimpleName();
        Interceptor refuse = chain -> Future.failedFuture(new LeveeException(LeveeException.Kind.INVALID_REQUEST,
                "refused", chain.context().requestId()));
        try (Levee levee = levee(refuse)) {
            levee.addListener(e -> events.add(name.apply(e)));
            assertThatThrownBy(() -> levee.process("hello")).isInstanceOf(LeveeException.class);
        }
        assertThat(events).containsExactly("RequestStarted", "RequestFailed");
    }
}
