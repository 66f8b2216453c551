package dev.levee.internal.observe.anomaly;

import dev.levee.config.AnomalySettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.AnomalyScore;
import dev.levee.CallOptions;
import dev.levee.ChatChunk;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Levee;
import dev.levee.LeveeException;
import dev.levee.StreamHandler;
import dev.levee.TestSupport;
import dev.levee.spi.LeveeEvent.RequestCompleted;
import dev.levee.simulator.Latency;
import dev.levee.simulator.Simulator;
import dev.levee.simulator.SimulatorConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The detector against a labelled stream: traffic from the simulator through a real levee (eight
 * models, varied prompts, caps, streams and completions, several worker threads), with injected
 * anomalies of every kind. Prints the figures for the README.
 *
 * <ul>
 *   <li>Timing: each request's latency and time to first token follow the model's profile with
 *       seeded jitter ({@link Timing}); the detector in the engine sees that timeline instead of the
 *       wall clock, which on the shared build machine carries stalls of several times the median.</li>
 *   <li>Latency anomalies: a slow episode (time to first token and per-token delay x5-x20), or, on
 *       a stream, the time to first token alone x5-x20 (once the model has a TTFT baseline).</li>
 *   <li>Token anomalies are real simulator answers: a tiny {@code max_tokens} (1-10).</li>
 *   <li>Content anomalies the simulator cannot produce (its answers are always healthy prose) are
 *       real simulator responses with their text replaced ({@link Synthetic}), scored by the same
 *       detector instance in the same stream.</li>
 *   <li>Healthy answers in shapes that resemble anomalies (a restated question, bullet lists, a code
 *       block, numbers that are not card numbers, an apology that still answers) are synthetic too,
 *       labelled normal: they are where content checks produce false positives.</li>
 *   <li>Labels: a truncated answer of still ordinary length ("mild truncation": a cap just below the
 *       natural length) is labelled <em>normal</em>: callers cap answers on purpose, and paging for
 *       it would be noise. Hiccups up to 2x the usual latency are normal too.</li>
 * </ul>
 */
class AnomalyEvaluationTest {
    private static final long SEED = 20_260_101L;
    private static final int WARM_UP = AnomalySettings.DEFAULTS.warmUpSamples();
    private static final int JUDGED_PER_MODEL = 120;
    private static final double THRESHOLD = AnomalySettings.DEFAULTS.threshold();

    /** A model's usual pace: time to first token and delay per word piece. */
    private record Profile(String model, double ttftMs, double tokenMs) {
    }

    private static final List<Profile> PROFILES = List.of(
            new Profile("alpha", 350, 12), new Profile("beta", 600, 20), new Profile("gamma", 250, 8),
            new Profile("delta", 450, 15), new Profile("epsilon", 800, 25), new Profile("zeta", 200, 6),
            new Profile("eta", 300, 10), new Profile("theta", 500, 18));

    enum Kind {
        NORMAL(false), MILD_TRUNCATION(false), HEALTHY_VARIANT(false),
        SLOW_EPISODE(true), TTFT_SPIKE(true), TINY_OUTPUT(true), LONG_OUTPUT(true), EMPTY(true), REPETITION(true),
        REFUSAL(true), PROMPT_ECHO(true), SENSITIVE_DATA(true);

        final boolean anomalous;

        Kind(boolean anomalous) {
            this.anomalous = anomalous;
        }
    }

    private static final Kind[] CONTENT_KINDS = {Kind.LONG_OUTPUT, Kind.EMPTY, Kind.REPETITION, Kind.REFUSAL,
        Kind.PROMPT_ECHO, Kind.SENSITIVE_DATA, Kind.HEALTHY_VARIANT};

    private record Sample(Kind kind, double score, List<String> reasons, String model) {
    }

    /** A response as the detector saw it: on the modelled timeline. */
    private record Timed(ChatResponse response, Double ttftMs) {
    }

    private final BaselineAnomalyDetector detector = new BaselineAnomalyDetector();
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();
    private final Map<String, Timed> timed = new ConcurrentHashMap<>();
    private final Map<String, RequestCompleted> completed = new ConcurrentHashMap<>();
    private final List<Timed> normalCompletions = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void detectsAtLeast95PercentOfAnomaliesWithAtMost2PercentFalsePositives() throws Exception {
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try (Simulator sim = Simulator.start(SimulatorConfig.builder().host("127.0.0.1").port(0)
                     .defaultLatency(Latency.ofMillis(1, 0)).build());
             Levee levee = Levee.builder().config(TestSupport.config(config(sim))).clock(Clock.systemUTC())
                     .anomalyDetector(this::scoreOnTimeline).listener(e -> {
                         if (e instanceof RequestCompleted c) {
                             completed.put(c.requestId(), c);
                         }
                     }).logRequests(false).build()) {
            ExecutorService workers = Executors.newFixedThreadPool(PROFILES.size());
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < PROFILES.size(); i++) {
                Profile p = PROFILES.get(i);
                SplittableRandom random = new SplittableRandom(SEED + i);
                runs.add(workers.submit(() -> drive(levee, p, random, samples)));
            }
            for (Future<?> run : runs) {
                run.get(50, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }
        report(samples, (System.nanoTime() - started) / 1_000_000);
        printLatencyBoundary();
    }

    /**
     * Not asserted, for the README: how often an answer slower by a given factor is flagged, by a
     * fresh detector that learned the stream's normal completions. One slow answer in five, so the
     * slow ones do not become the new normal while they are measured.
     */
    private void printLatencyBoundary() {
        StringBuilder out = new StringBuilder("  whole answer slower by a factor, share flagged:");
        List<Timed> normals = new ArrayList<>(normalCompletions);
        int learned = normals.size() * 7 / 10;
        ChatRequest request = ChatRequest.of("Explain something");
        for (double factor : new double[] {1.5, 2.0, 2.5, 3.0, 4.0, 5.0}) {
            BaselineAnomalyDetector fresh = new BaselineAnomalyDetector();
            normals.subList(0, learned).forEach(t -> fresh.score(request, t.response(), null));
            int slow = 0;
            int flagged = 0;
            for (int i = learned; i < normals.size(); i++) {
                ChatResponse r = normals.get(i).response();
                if (i % 5 == 0) {
                    slow++;
                    r = Synthetic.withLatency(r, r.latencyMs() * factor);
                    flagged += fresh.score(request, r, null).score() > THRESHOLD ? 1 : 0;
                } else {
                    fresh.score(request, r, null);
                }
            }
            out.append(String.format(Locale.ROOT, " x%.1f %.0f %%,", factor, 100.0 * flagged / slow));
        }
        System.out.println(out.substring(0, out.length() - 1));
    }

    /** The engine's detector: the detector under test, shown the request's modelled timing. */
    private AnomalyScore scoreOnTimeline(ChatRequest request, ChatResponse response, Double wallClockTtft) {
        Timing t = timings.get(response.requestId());
        ChatResponse onTimeline = Synthetic.withLatency(response, t.latencyFor(response.text()));
        Double ttft = wallClockTtft == null ? null : t.ttft();
        timed.put(response.requestId(), new Timed(onTimeline, ttft));
        return detector.score(request, onTimeline, ttft);
    }

    private static String config(Simulator sim) {
        StringBuilder yaml = new StringBuilder()
                .append("providers:\n  sim: { type: ollama, base_url: ").append(sim.baseUrl())
                .append(", max_connections: 4 }\nroutes:\n");
        for (Profile p : PROFILES) {
            yaml.append("  ").append(p.model()).append(":\n    tiers: [ { target: sim/").append(p.model())
                    .append(" } ]\n    rule_based_fallback: false\n");
        }
        return yaml.append("""
                resilience:
                  circuit_breaker: { consecutive_failures: 1000, window: 100, minimum_calls: 100 }
                  retry: { max_attempts: 1 }
                """).toString();
    }

    /** One model's traffic: warm-up, then judged requests with injected anomalies. */
    private void drive(Levee levee, Profile p, SplittableRandom random, List<Sample> samples) {
        Prompts prompts = new Prompts(random);
        int streams = 0;
        for (int step = 0; step < WARM_UP + JUDGED_PER_MODEL; step++) {
            boolean stream = random.nextDouble() < 0.5;
            Kind kind = step < WARM_UP ? Kind.NORMAL : simulatedKind(random, stream && streams >= WARM_UP);
            Integer maxTokens = switch (kind) {
                case TINY_OUTPUT -> 1 + random.nextInt(10);
                case MILD_TRUNCATION -> 48 + random.nextInt(10);
                default -> new Integer[] {null, 256, 400, 512, 1024}[random.nextInt(5)];
            };
            double factor = 5 * Math.pow(4, random.nextDouble()); // x5..x20, more often small
            Timing timing = Timing.normal(p.ttftMs(), p.tokenMs(), random);
            timing = kind == Kind.SLOW_EPISODE ? timing.slower(factor)
                    : kind == Kind.TTFT_SPIKE ? timing.slowerFirstToken(factor) : timing;
            String id = p.model() + "-" + step;
            timings.put(id, timing);
            ChatRequest request = ChatRequest.builder().route(p.model()).user(prompts.next()).maxTokens(maxTokens)
                    .options(CallOptions.builder().requestId(id).build()).build();
            call(levee, request, stream);
            streams += stream ? 1 : 0;
            RequestCompleted done = completed.get(id);
            assertThat(done).as("completion event of %s", id).isNotNull();
            if (kind == Kind.NORMAL && !stream) {
                normalCompletions.add(timed.get(id));
            }
            if (step < WARM_UP) {
                continue;
            }
            samples.add(new Sample(kind, done.anomaly().score(), done.anomaly().reasons(), p.model()));
            if (kind == Kind.NORMAL && random.nextDouble() < 0.3) {
                Kind content = CONTENT_KINDS[random.nextInt(CONTENT_KINDS.length)];
                Timed base = timed.get(id);
                ChatResponse synthetic = synthesize(content, base.response(), done.request(), prompts, random, timing);
                AnomalyScore score = detector.score(done.request(), synthetic, base.ttftMs());
                samples.add(new Sample(content, score.score(), score.reasons(), p.model()));
            }
        }
    }

    private static Kind simulatedKind(SplittableRandom random, boolean ttftJudged) {
        double r = random.nextDouble();
        if (r < 0.04) {
            return Kind.SLOW_EPISODE;
        }
        if (r < 0.09) {
            return ttftJudged ? Kind.TTFT_SPIKE : Kind.NORMAL;
        }
        return r < 0.13 ? Kind.TINY_OUTPUT : r < 0.18 ? Kind.MILD_TRUNCATION : Kind.NORMAL;
    }

    private static void call(Levee levee, ChatRequest request, boolean stream) {
        if (!stream) {
            levee.complete(request);
            return;
        }
        levee.stream(request, new StreamHandler() {
            @Override
            public void onChunk(ChatChunk chunk) {
            }

            @Override
            public void onComplete(ChatResponse response) {
            }

            @Override
            public void onError(LeveeException error) {
            }
        }).completion().join();
    }

    private static ChatResponse synthesize(Kind kind, ChatResponse real, ChatRequest request, Prompts prompts,
                                           SplittableRandom random, Timing timing) {
        String answer = real.text();
        double latency = real.latencyMs();
        switch (kind) {
            case EMPTY:
                return Synthetic.withText(real, random.nextBoolean() ? "" : "\n", 0, latency, FinishReason.STOP);
            case LONG_OUTPUT: {
                String text = Synthetic.prose(Synthetic.words(answer).size() * (5 + random.nextInt(8)), random);
                // A long answer takes longer to generate: every extra piece at the model's pace.
                return Synthetic.withText(real, text, Synthetic.tokensOf(text), timing.latencyFor(text),
                        FinishReason.STOP);
            }
            case REPETITION: {
                String text = Synthetic.loop(answer, random);
                return Synthetic.withText(real, text, Synthetic.tokensOf(text), latency,
                        random.nextBoolean() ? FinishReason.STOP : FinishReason.LENGTH);
            }
            case REFUSAL: {
                String text = Synthetic.refusal(prompts.lastTopic(), answer, random);
                return Synthetic.withText(real, text, Synthetic.tokensOf(text), latency, FinishReason.STOP);
            }
            case HEALTHY_VARIANT: {
                String text = Synthetic.healthyVariant(request.lastUserText(), answer, prompts.lastTopic(), random);
                return Synthetic.withText(real, text, real.usage().completionTokens(), latency, FinishReason.STOP);
            }
            case PROMPT_ECHO: {
                String text = Synthetic.echo(request.lastUserText(), answer, random);
                return Synthetic.withText(real, text, Synthetic.tokensOf(text), latency, FinishReason.STOP);
            }
            default: {
                String text = Synthetic.withSensitiveData(answer, random);
                return Synthetic.withText(real, text, Synthetic.tokensOf(text), latency, FinishReason.STOP);
            }
        }
    }

    private static void report(List<Sample> samples, long elapsedMs) {
        Map<Kind, int[]> byKind = new EnumMap<>(Kind.class);
        int normal = 0;
        int falsePositives = 0;
        int anomalies = 0;
        int detected = 0;
        for (Sample s : samples) {
            boolean flagged = s.score() > THRESHOLD;
            int[] counts = byKind.computeIfAbsent(s.kind(), k -> new int[2]);
            counts[0]++;
            if (flagged) {
                counts[1]++;
            }
            if (s.kind().anomalous) {
                anomalies++;
                detected += flagged ? 1 : 0;
            } else {
                normal++;
                falsePositives += flagged ? 1 : 0;
            }
        }
        double detection = 100.0 * detected / anomalies;
        double fpRate = 100.0 * falsePositives / normal;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nAnomaly detection on a labelled stream (%d models, %d samples after "
                + "warm-up, threshold %.2f, %d ms)%n", PROFILES.size(), samples.size(), THRESHOLD, elapsedMs));
        out.append(String.format(Locale.ROOT, "  detection rate      %6.1f %%  (%d of %d anomalies)%n", detection,
                detected, anomalies));
        out.append(String.format(Locale.ROOT, "  false-positive rate %6.1f %%  (%d of %d normal)%n", fpRate,
                falsePositives, normal));
        byKind.forEach((kind, c) -> out.append(String.format(Locale.ROOT, "  %-16s %-8s %4d samples %6.1f %% flagged%n",
                kind.name().toLowerCase(Locale.ROOT), kind.anomalous ? "anomaly" : "normal", c[0],
                100.0 * c[1] / c[0])));
        samples.stream().filter(s -> (s.score() > THRESHOLD) != s.kind().anomalous).limit(20)
                .forEach(s -> out.append(String.format(Locale.ROOT, "  wrong: %s %s score %.2f %s%n", s.kind(),
                        s.model(), s.score(), s.reasons())));
        System.out.print(out);

        assertThat(normal).as("normal samples").isGreaterThanOrEqualTo(500);
        assertThat(anomalies).as("anomalous samples").isGreaterThanOrEqualTo(100);
        assertThat(detection).as("detection rate in %").isGreaterThanOrEqualTo(95.0);
        assertThat(fpRate).as("false-positive rate in %").isLessThanOrEqualTo(2.0);
    }

    /** Varied prompts: short questions, comparisons, long briefs, seeded. */
    private static final class Prompts {
        private static final String[] TOPICS = {"circuit breakers", "vector databases", "garbage collection",
            "rate limiting", "photosynthesis", "the French revolution", "compound interest", "sourdough baking",
            "quantum entanglement", "container orchestration", "marathon training", "jazz harmony",
            "plate tectonics", "password hashing", "supply chains", "volcanic eruptions", "neural networks",
            "medieval castles", "coral reefs", "database indexing", "urban gardening", "solar panels"};
        private static final String[] TEMPLATES = {
            "Explain %s.",
            "What is %s?",
            "How does %s relate to %s?",
            "Give me three tips about %s for a beginner.",
            "Compare %s and %s in a short paragraph.",
            "Why do people care about %s?",
            "Write a short overview of %s for a team meeting tomorrow morning.",
            "I am preparing a talk about %s and %s for newcomers; what should I cover first, and which mistakes "
                    + "should I avoid when I explain it?",
            "My manager asked me to summarise %s in plain words for customers who have never heard of it. "
                    + "Could you help me draft a friendly explanation?",
        };

        private final SplittableRandom random;
        private String lastTopic = TOPICS[0];

        Prompts(SplittableRandom random) {
            this.random = random;
        }

        String next() {
            String a = TOPICS[random.nextInt(TOPICS.length)];
            String b = TOPICS[random.nextInt(TOPICS.length)];
            lastTopic = a;
            return TEMPLATES[random.nextInt(TEMPLATES.length)].formatted(a, b);
        }

        String lastTopic() {
            return lastTopic;
        }
    }
}
