package dev.levee.simulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * Token counts as the simulator reports them: cl100k_base via jtokkit, a fair proxy for any BPE model.
 * The table loads on first use; {@link Simulator#start} loads it on a worker thread, off the event loop.
 */
public final class Tokens {

    /** OpenAI's chat accounting: every message costs a few tokens of framing, and so does the reply. */
    static final int PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;

    private Tokens() {
    }

    /**
     * Beyond this many characters a count is approximated (four characters a token): an exact count
     * of a multi-megabyte prompt costs hundreds of megabytes of BPE work space, and a client sending a
     * few of them at once must not exhaust the simulator's memory.
     */
    static final int MAX_EXACT_CHARS = 64 * 1024;

    /** Tokens of plain text; special-token markers such as {@code <|endoftext|>} count as ordinary text. */
    public static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return text.length() > MAX_EXACT_CHARS ? (text.length() + 3) / 4 : Table.CL100K.countTokensOrdinary(text);
    }

    /** Prompt tokens for these message texts (the system prompt counted as one of them). */
    public static int prompt(List<String> messageTexts) {
        int total = REPLY_PRIMING;
        for (String text : messageTexts) {
            total += PER_MESSAGE + count(text);
        }
        return total;
    }

    static void warmUp() {
        count("warm up");
    }

    /**
     * The cl100k_base table, built once per JVM by whichever thread first asks (it takes 0.1–0.3 s);
     * levee-core's token estimator shares it rather than building a second copy.
     */
    public static Encoding cl100k() {
        return Table.CL100K;
    }

    /** Holder idiom: the table is built once, by whichever thread first needs it. */
    private static final class Table {
        static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }
}
