package dev.levee.internal.provider.openai;

import dev.levee.internal.provider.StreamDecoder;

/**
 * Opens the OpenAI stream decoder (package-private in levee-core) to the benchmarks: this class
 * shares its package name, which is all a classpath needs.
 */
public final class OpenAiDecoders {
    private OpenAiDecoders() {
    }

    public static StreamDecoder newDecoder(String provider, String requestedModel) {
        return new OpenAiAdapter.OpenAiStreamDecoder(provider, requestedModel);
    }
}
