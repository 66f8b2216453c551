package dev.levee.internal.tokens;

import dev.levee.Message;
import dev.levee.Usage;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * Counts tokens with a real BPE (cl100k_base via jtokkit) for the rare answer whose provider
 * reported no usage — a stream cut before its usage chunk, a server that omits it. The result is
 * flagged {@link Usage#estimated()}: other models' tokenizers differ, so cost uses reported usage
 * whenever there is one.
 */
public final class TokenEstimator {
    /** Beyond this many characters the count is approximated (4 chars a token) to keep event loops free. */
    static final int MAX_EXACT_CHARS = 32 * 1024;
    private static final int PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;
    /**
     * Messages' counts, by their text, up to this many characters in all. A prompt mostly repeats
     * what earlier requests sent — the system prompt, and in a conversation every earlier turn — so
     * only its new text is run through the BPE, which costs microseconds even for a short message.
     */
    private static final long CACHED_CHARS = 4L * 1024 * 1024;
    private static final Cache<String, Integer> MESSAGES = Caffeine.newBuilder()
            .maximumWeight(CACHED_CHARS)
            .weigher((String text, Integer tokens) -> text.length())
            .executor(Runnable::run) // eviction on the caller's thread: no hop to the common pool
            .build();

    private TokenEstimator() {
    }

    /** Loads the BPE table; call once off the event loop at startup. */
    public static void warmUp() {
        count("warm up");
    }

    /**
     * Starts loading the BPE table on a daemon thread and returns at once, so that a command line
     * can overlap the load with its own start-up; {@link #warmUp()} then waits only for what is left.
     */
    public static void preload() {
        Thread loader = new Thread(TokenEstimator::warmUp, "levee-tokenizer-preload");
        loader.setDaemon(true);
        loader.start();
    }

    public static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.length() > MAX_EXACT_CHARS) {
            return (text.length() + 3) / 4;
        }
        return Table.CL100K.countTokensOrdinary(text);
    }

    /** {@link #count}, remembered for texts that fit the cache. */
    private static int countMessage(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_EXACT_CHARS) {
            return count(text);
        }
        return MESSAGES.get(text, TokenEstimator::count);
    }

    /**
     * A prompt's tokens for a reservation, on the request's event loop: counted exactly while the
     * prompt is short, approximated (4 characters a token) past {@code exactChars} in all, so that a
     * long prompt costs the loop microseconds, not milliseconds. The reservation is replaced by the
     * provider's reported usage afterwards, so the approximation never reaches the ledger.
     */
    public static int promptTokens(List<Message> prompt, int exactChars) {
        long chars = 0;
        for (Message m : prompt) {
            chars += m.content() == null ? 0 : m.content().length();
        }
        if (chars <= exactChars) {
            return estimate(prompt, null).promptTokens();
        }
        return (int) Math.min(Integer.MAX_VALUE, REPLY_PRIMING + (long) PER_MESSAGE * prompt.size() + (chars + 3) / 4);
    }

    /**
     * Embedding inputs' tokens: counted exactly while short, approximated (4 characters a token) past
     * {@code exactChars} in all, like {@link #promptTokens}.
     */
    public static int inputTokens(List<String> inputs, int exactChars) {
        long chars = 0;
        for (String text : inputs) {
            chars += text.length();
        }
        if (chars > exactChars) {
            return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
        }
        int tokens = 0;
        for (String text : inputs) {
            tokens += count(text);
        }
        return tokens;
    }

    /** An estimated usage: chat framing as OpenAI counts it, plus the texts. */
    public static Usage estimate(List<Message> prompt, String completion) {
        int promptTokens = REPLY_PRIMING;
        for (Message m : prompt) {
            promptTokens += PER_MESSAGE + countMessage(m.content());
        }
        int completionTokens = count(completion);
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, true);
    }

    /** Holder idiom: the table (0.1–0.3 s to build) is built once, by whichever thread first needs it. */
    private static final class Table {
        static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }
}
