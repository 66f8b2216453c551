package dev.levee;

import dev.levee.config.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Per-call options: correlation, caller metadata, an optional deadline, and the fault-injection
 * switches ({@code _test_force_first_fallback_fail}, {@code _test_force_all_models_fail},
 * {@code _simulate_high_load}) so the fallback path can be exercised on demand.
 *
 * @param requestId the correlation id; {@code null} lets levee generate one
 * @param deadline overrides the deadline derived from {@code max_tokens}; {@code null} for the default
 * @param forcePrimaryFailure the primary tier fails without being called, so the first fallback answers
 * @param forceAllModelsFail every model tier fails without being called, so the rule-based reply answers
 * @param simulateHighLoad each model attempt is delayed by the configured high-load delay
 * @param forceFailTiers tier indexes that fail without being called
 * @param metadata caller metadata (feature_version, prompt_version, experiment_id, variant_id, user)
 * @param traceParent a W3C {@code traceparent} to continue the caller's trace, or {@code null}
 * @param credential the caller's API key (a virtual key or the master key) when authentication is on,
 *     or {@code null}; a {@link Secret}, so it never shows in {@code toString()}, and the authentication
 *     link passes the request on without it
 */
public record CallOptions(
        String requestId,
        Duration deadline,
        boolean forcePrimaryFailure,
        boolean forceAllModelsFail,
        boolean simulateHighLoad,
        Set<Integer> forceFailTiers,
        Map<String, String> metadata,
        String traceParent,
        Secret credential) {

    public static final CallOptions DEFAULTS = builder().build();

    public CallOptions {
        forceFailTiers = Set.copyOf(forceFailTiers);
        metadata = Map.copyOf(metadata);
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("deadline must be positive");
        }
    }

    /** Whether the tier at {@code index} must fail without being called. */
    public boolean forcesFailureOf(int index) {
        return forceAllModelsFail || (forcePrimaryFailure && index == 0) || forceFailTiers.contains(index);
    }

    public boolean injectsFaults() {
        return forcePrimaryFailure || forceAllModelsFail || simulateHighLoad || !forceFailTiers.isEmpty();
    }

    public Builder toBuilder() {
        return new Builder().requestId(requestId).deadline(deadline).forcePrimaryFailure(forcePrimaryFailure)
                .forceAllModelsFail(forceAllModelsFail).simulateHighLoad(simulateHighLoad)
                .forceFailTiers(forceFailTiers).metadata(metadata).traceParent(traceParent).credential(credential);
    }

    /** These options without the credential: what the links after authentication get. */
    public CallOptions withoutCredential() {
        return credential == null ? this : new CallOptions(requestId, deadline, forcePrimaryFailure,
                forceAllModelsFail, simulateHighLoad, forceFailTiers, metadata, traceParent, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String requestId;
        private Duration deadline;
        private boolean forcePrimaryFailure;
        private boolean forceAllModelsFail;
        private boolean simulateHighLoad;
        private Set<Integer> forceFailTiers = Set.of();
        private Map<String, String> metadata = Map.of();
        private String traceParent;
        private Secret credential;

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder forcePrimaryFailure(boolean force) {
            this.forcePrimaryFailure = force;
            return this;
        }

        public Builder forceAllModelsFail(boolean force) {
            this.forceAllModelsFail = force;
            return this;
        }

        public Builder simulateHighLoad(boolean simulate) {
            this.simulateHighLoad = simulate;
            return this;
        }

        public Builder forceFailTiers(Set<Integer> tiers) {
            this.forceFailTiers = tiers;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder traceParent(String traceParent) {
            this.traceParent = traceParent;
            return this;
        }

        /** The caller's API key; blank counts as none. */
        public Builder credential(String key) {
            return credential(Secret.ofNullable(key));
        }

        public Builder credential(Secret key) {
            this.credential = key;
            return this;
        }

        public CallOptions build() {
            return new CallOptions(requestId, deadline, forcePrimaryFailure, forceAllModelsFail, simulateHighLoad,
                    forceFailTiers, metadata, traceParent, credential);
        }
    }
}
