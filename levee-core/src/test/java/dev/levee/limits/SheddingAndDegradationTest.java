package dev.levee.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Call;
import dev.levee.CallOptions;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.DegradationMode;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.TestSupport;
import dev.levee.TestSupport.ManualTicker;
import dev.levee.TestSupport.MutableClock;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import dev.levee.spi.ApiKeys;
import dev.levee.spi.KeyLimits;
import dev.levee.spi.LeveeEvent;
import dev.levee.spi.LiveStream;
import dev.levee.spi.Reply;
import dev.levee.spi.VirtualKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Priorities under load, through the facade: a saturated target sheds the lowest priority first,
 * before anything is sent upstream; and the degradation modes — entered from breakers, visible,
 * tightening max_tokens and skipping expensive tiers, keeping providers for critical keys in an
 * emergency, and left one level at a time after a calm hold, on injected time.
 */
class SheddingAndDegradationTest {
    private static final String MASTER = "master-key-for-tests-0123456789";
    private static Simulator sim;
    private final Map<String, VirtualKey> store = new ConcurrentHashMap<>();
    private final List<LeveeEvent> events = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final ManualTicker ticker = new ManualTicker();
    private Levee levee;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                .defaultLatency(Latency.ofMillis(5, 1)).fault("broken", "status=500").build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void close() {
        if (levee != null) {
            levee.close();
        }
    }

    private Levee levee(String rest) {
        levee = Levee.builder().logRequests(false).clock(clock).ticker(ticker).config(TestSupport.ollamaConfig(sim, """
                auth: { master_key: %s }
                %s
                """.formatted(MASTER, rest)))
                .keyStore(store::get).listener(events::add).build();
        return levee;
    }

    private String key(String priority) {
        String secret = ApiKeys.generate();
        store.put(ApiKeys.hash(secret), new VirtualKey("key_" + store.size(), ApiKeys.visiblePrefix(secret), "n", null,
                null, Set.of(), Instant.now(), null, null, new KeyLimits(null, null, null, null, null, priority)));
        return secret;
    }

    private static ChatRequest request(String credential, Integer maxTokens) {
        return ChatRequest.builder().user("hello there").maxTokens(maxTokens)
                .options(CallOptions.builder().credential(credential).build()).build();
    }

    private static Throwable outcome(Call call) {
        return call.reply().toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
    }

    /** A stream at its commit point, left paused: it holds its place at the target until cancelled. */
    private LiveStream openStream(String credential) {
        Reply reply = levee.execute(request(credential, null), true).reply().toCompletionStage().toCompletableFuture()
                .join();
        return ((Reply.Streaming) reply).stream();
    }

    @Test
    void aSaturatedTargetShedsTheLowestPriorityFirstAndNothingReachesUpstream() {
        levee("""
                routes:
                  default:
                    tiers:
                      - target: sim/primary
                resilience:
                  bulkhead: { max_concurrent: 4, standard_share: 0.75, batch_share: 0.5 }
                """);
        String batch = key("batch");
        String standard = key("standard");
        String critical = key("critical");
        List<LiveStream> open = new ArrayList<>();
        open.add(openStream(standard));
        open.add(openStream(standard)); // 2 in flight: batch may find at most 1

        int journal = sim.journal().size();
        Throwable shed = outcome(levee.execute(request(batch, null), false));
        assertThat(shed).isInstanceOf(LeveeException.class);
        assertThat(((LeveeException) shed).kind()).isEqualTo(LeveeException.Kind.OVERLOADED);
        assertThat(shed.getMessage()).contains("batch");
        assertThat(sim.journal().size()).as("nothing was sent upstream").isEqualTo(journal);

        open.add(openStream(standard)); // 3 in flight: standard may find at most 2
        assertThat(((LeveeException) outcome(levee.execute(request(standard, null), false))).kind())
                .isEqualTo(LeveeException.Kind.OVERLOADED);
        assertThat(levee.complete(request(critical, null)).text()).isNotEmpty(); // critical may use it all

        open.forEach(LiveStream::cancel); // their places come back
        assertThat(levee.complete(request(batch, null)).text()).isNotEmpty();
    }

    @Test
    void breakersDriveTheModeWhichCapsMaxTokensSkipsExpensiveTiersAndLiftsAfterACalmHold() {
        levee("""
                routes:
                  default:
                    tiers:
                      - target: sim/broken
                        expensive: true
                      - target: sim/small
                resilience:
                  retry: { max_attempts: 1 }
                  circuit_breaker: { consecutive_failures: 2, open_for: 30s }
                  degradation: { minimum_requests: 1000, hold: 20s, degraded_max_tokens: 8 }
                """);
        String key = key(null);
        assertThat(levee.degradationMode()).isEqualTo(DegradationMode.NORMAL);
        levee.complete(request(key, null));
        levee.complete(request(key, null)); // the second failure in a row opens broken's breaker: 1 of 2 targets
        assertThat(levee.degradationMode()).isEqualTo(DegradationMode.DEGRADED);
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.DegradationChanged).singleElement()
                .satisfies(e -> assertThat(((LeveeEvent.DegradationChanged) e).reason()).contains("1 of 2 breakers open"));

        ChatResponse degraded = levee.complete(request(key, 500));
        assertThat(degraded.modelUsed()).isEqualTo("small");
        assertThat(degraded.usage().completionTokens()).as("max_tokens capped").isLessThanOrEqualTo(8);
        assertThat(events).filteredOn(e -> e instanceof LeveeEvent.TierSkipped t
                && t.reason() == LeveeEvent.SkipReason.DEGRADED).isNotEmpty();

        // Past open_for the breaker is due for a probe, so it no longer counts as open; the mode lifts
        // only after the hold, and then the expensive tier is tried again.
        clock.advance(Duration.ofSeconds(31));
        ticker.advance(Duration.ofSeconds(31));
        levee.complete(request(key, null));
        assertThat(levee.degradationMode()).isEqualTo(DegradationMode.DEGRADED);
        clock.advance(Duration.ofSeconds(21));
        levee.complete(request(key, null));
        assertThat(levee.degradationMode()).isEqualTo(DegradationMode.NORMAL);
    }

    @Test
    void anEmergencyKeepsTheProvidersForCriticalKeysAndGivesEveryoneElseTheRuleBasedReply() {
        levee("""
                routes:
                  default:
                    tiers:
                      - target: sim/broken
                      - target: sim/small
                resilience:
                  retry: { max_attempts: 1 }
                  circuit_breaker: { consecutive_failures: 1, open_for: 30s }
                  degradation: { emergency_open_share: 0.5, minimum_requests: 1000 }
                """);
        String standard = key("standard");
        String critical = key("critical");
        levee.complete(request(standard, null)); // broken fails once: its breaker opens, half the targets
        assertThat(levee.degradationMode()).isEqualTo(DegradationMode.EMERGENCY);
        int journal = sim.journal().size();
        ChatResponse held = levee.complete(request(standard, null));
        assertThat(held.ruleBased()).isTrue();
        assertThat(sim.journal().size()).isEqualTo(journal);
        ChatResponse served = levee.complete(request(critical, null));
        assertThat(served.ruleBased()).isFalse();
        assertThat(served.modelUsed()).isEqualTo("small");
        assertThat(levee.complete(request(MASTER, null)).ruleBased()).as("the master key is critical").isFalse();
    }
}
