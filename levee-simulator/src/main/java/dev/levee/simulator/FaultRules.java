package dev.levee.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The faults in force per model, changeable while the simulator runs. Thread-safe: tests change
 * rules from their own thread while the event loop reads them.
 *
 * <p>A rule for {@value #ANY_MODEL} applies to every model without a rule of its own. A fault sent in
 * the {@code X-Simulator-Fault} header replaces the model's rule for that request. {@code times=N}
 * counts the requests a rule actually faulted; {@link #set} starts the count afresh.
 */
public final class FaultRules {

    public static final String ANY_MODEL = "*";

    /** Bounds the per-spec counters of header faults, which clients can invent freely. */
    private static final int MAX_HEADER_COUNTERS = 10_000;

    private final Map<String, Rule> rules = new HashMap<>();
    private final Map<String, Rule> headerRules = new HashMap<>();
    private SplittableRandom random = new SplittableRandom();

    FaultRules(Map<String, FaultSpec> initial) {
        initial.forEach(this::set);
    }

    public synchronized void set(String model, FaultSpec spec) {
        rules.put(Objects.requireNonNull(model, "model"), new Rule(Objects.requireNonNull(spec, "spec")));
    }

    public void set(String model, String spec) {
        set(model, FaultSpec.parse(spec));
    }

    public synchronized void clear(String model) {
        rules.remove(model);
    }

    /** Removes every rule and forgets how often header faults have fired. */
    public synchronized void clearAll() {
        rules.clear();
        headerRules.clear();
    }

    /** The rule for this model (or the {@value #ANY_MODEL} rule), whether or not it still has hits left. */
    public synchronized Optional<FaultSpec> forModel(String model) {
        return Optional.ofNullable(ruleFor(model)).map(Rule::spec);
    }

    /** Makes the {@code rate} rolls repeatable. */
    public synchronized void seed(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * Decides the fault for one request: the header's spec if given, else the model's rule; it
     * applies when its rate roll hits and its {@code times} budget is not spent.
     */
    synchronized Optional<FaultSpec> activate(String model, FaultSpec headerSpec) {
        Rule rule;
        if (headerSpec != null) {
            if (headerRules.size() >= MAX_HEADER_COUNTERS) {
                headerRules.clear();
            }
            rule = headerRules.computeIfAbsent(model + '\n' + headerSpec, k -> new Rule(headerSpec));
        } else {
            rule = ruleFor(model);
        }
        return rule != null && rule.fire(random) ? Optional.of(rule.spec()) : Optional.empty();
    }

    private Rule ruleFor(String model) {
        Rule rule = rules.get(model);
        return rule != null ? rule : rules.get(ANY_MODEL);
    }

    /** A spec with its own hit counter; only touched under the enclosing lock. */
    private static final class Rule {
        private final FaultSpec spec;
        private int hits;

        Rule(FaultSpec spec) {
            this.spec = spec;
        }

        FaultSpec spec() {
            return spec;
        }

        boolean fire(SplittableRandom random) {
            if (spec.times() != null && hits >= spec.times()) {
                return false;
            }
            if (spec.rate() < 1.0 && random.nextDouble() >= spec.rate()) {
                return false;
            }
            hits++;
            return true;
        }
    }
}
