package dev.levee.internal.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levee.spi.FailureKind;
import dev.levee.spi.ProviderException;

/** Reading vectors from providers' answers. */
public final class Embeddings {
    private Embeddings() {
    }

    /** A JSON array of numbers as floats; anything else is a malformed answer. */
    public static float[] floats(JsonNode array, String provider) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new ProviderException(FailureKind.MALFORMED, 200, provider + ": an embedding is not an array of"
                    + " numbers", null);
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = array.get(i);
            if (!x.isNumber()) {
                throw new ProviderException(FailureKind.MALFORMED, 200, provider + ": an embedding holds a non-number",
                        null);
            }
            v[i] = x.floatValue();
        }
        return v;
    }
}
