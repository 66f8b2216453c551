package dev.levee;

/**
 * What the provider said about its answer, passed through to the caller unchanged.
 *
 * @param id the provider's completion id ({@code chatcmpl-…}, {@code msg_…}), or {@code null}
 * @param created the provider's creation time in epoch seconds, or {@code null}
 * @param systemFingerprint OpenAI's backend configuration fingerprint, or {@code null}
 */
public record Provenance(String id, Long created, String systemFingerprint) {
    public static final Provenance NONE = new Provenance(null, null, null);
}
