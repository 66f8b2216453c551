package dev.levee.simulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** An independent jtokkit count, so tests do not check the simulator's counts with its own code. */
final class Cl100k {

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private Cl100k() {
    }

    static int count(String text) {
        return ENCODING.countTokensOrdinary(text);
    }

    /** OpenAI's chat accounting: 3 tokens per message plus 3 for the reply. */
    static int prompt(String... messages) {
        int total = 3;
        for (String message : messages) {
            total += 3 + count(message);
        }
        return total;
    }
}
