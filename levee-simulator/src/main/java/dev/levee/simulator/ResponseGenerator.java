package dev.levee.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated model's words. The answer depends only on the last user message, never on the
 * model name, so a gateway that falls back from one model to another gets the same text, and tests
 * anywhere can compute the expected answer with {@link #answerFor(String)}.
 */
public final class ResponseGenerator {

    /** Enough words that every answer has at least this many cl100k tokens, so max_tokens caps show. */
    static final int MIN_WORDS = 60;

    private static final String[] OPENERS = {
        "Here is a short overview of {t}.",
        "Good question about {t}.",
        "Let me explain {t} step by step.",
        "{T} is a topic that rewards a careful look.",
        "There are a few useful things to know about {t}.",
    };

    private static final String[] BODY = {
        "The key idea behind {t} is to start simple and add detail only when it is really needed.",
        "Most people find that {t} becomes much clearer once they connect it to {u}.",
        "A practical way to approach {t} is to break it into small parts and check each one on its own.",
        "In practice, {t} depends on context, so the right answer often starts with a few good questions.",
        "It helps to compare {t} with {u}, because the differences show what really matters.",
        "One common mistake with {t} is to optimize too early instead of measuring what happens first.",
        "When you look at {t} over a longer time, the same patterns tend to repeat in predictable ways.",
        "Experts usually describe {t} in terms of trade-offs rather than as a single rule that always holds.",
        "If you are new to {t}, a small worked example is worth more than a long and abstract definition.",
        "The history of {t} shows how ideas from {u} shaped the way people think about it today.",
        "A good mental model for {t} is a pipeline in which every step has one clear and simple job.",
        "Keep in mind that {t} can behave quite differently at a small scale and at a large scale.",
        "Clear notes, good examples and a bit of patience go a long way when you are learning about {t}.",
        "Many of the best results with {t} come from steady small improvements rather than one big change.",
    };

    private static final String[] CLOSERS = {
        "In short, {t} is easier than it looks once the basics are in place.",
        "I hope this gives you a useful starting point for {t}.",
        "Feel free to ask a follow-up question if you want more detail on {u}.",
        "With these points in mind, you should be well prepared to explore {t} further.",
    };

    private static final Set<String> STOP_WORDS = Set.of(
            "about", "above", "after", "again", "also", "answer", "because", "been", "before", "being", "below",
            "between", "both", "could", "does", "doing", "down", "during", "each", "explain", "from", "further",
            "give", "have", "having", "help", "here", "into", "just", "know", "like", "make", "more", "most",
            "much", "only", "other", "over", "please", "really", "same", "should", "some", "such", "tell",
            "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this",
            "those", "through", "under", "until", "very", "want", "what", "when", "where", "which", "while",
            "with", "would", "write", "your", "yours");

    private static final Pattern WORD = Pattern.compile("[A-Za-z]{4,24}");
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    private ResponseGenerator() {
    }

    /** The full answer to a conversation whose last user message is this text. */
    public static String answerFor(String lastUserMessage) {
        String prompt = lastUserMessage == null ? "" : lastUserMessage;
        SplittableRandom random = new SplittableRandom(seed(prompt));
        Topics topics = Topics.of(prompt, random);
        List<String> sentences = new ArrayList<>();
        sentences.add(topics.fill(pick(OPENERS, random)));
        int words = wordCount(sentences.get(0));
        String closer = topics.fill(pick(CLOSERS, random));
        words += wordCount(closer);
        List<String> body = shuffled(BODY, random);
        for (int i = 0; i < body.size() && (i < 3 || words < MIN_WORDS); i++) {
            String sentence = topics.fill(body.get(i));
            sentences.add(sentence);
            words += wordCount(sentence);
        }
        sentences.add(closer);
        return String.join(" ", sentences);
    }

    /**
     * What the model says next. With an assistant prefill that is a prefix of the full answer, exactly
     * the rest of the answer, so a gateway can splice a cut stream into one complete answer; with any
     * other prefill, a short fresh continuation.
     */
    static String respond(String lastUserMessage, String assistantPrefill) {
        String full = answerFor(lastUserMessage);
        if (assistantPrefill == null) {
            return full;
        }
        if (full.startsWith(assistantPrefill)) {
            return full.substring(assistantPrefill.length());
        }
        return continuationFor(assistantPrefill);
    }

    /**
     * What a model told to continue {@code partial} says: the rest of its answer, starting — as
     * models often do — by repeating the partial's last word.
     */
    static String resume(String userMessage, String partial) {
        String full = answerFor(userMessage);
        if (!full.startsWith(partial)) {
            return continuationFor(partial);
        }
        int lastWord = partial.length();
        while (lastWord > 0 && !Character.isWhitespace(partial.charAt(lastWord - 1))) {
            lastWord--;
        }
        return full.substring(lastWord);
    }

    /** One or two sentences that follow on from some text the model did not write itself. */
    static String continuationFor(String partial) {
        SplittableRandom random = new SplittableRandom(seed(partial) ^ 0x5DEECE66DL);
        Topics topics = Topics.of(partial, random);
        String text = topics.fill(pick(BODY, random)) + " " + topics.fill(pick(CLOSERS, random));
        boolean needsSpace = !partial.isEmpty() && !Character.isWhitespace(partial.charAt(partial.length() - 1));
        return needsSpace ? " " + text : text;
    }

    /** Splits text into streamable pieces, each a word with its leading whitespace; they concatenate back to the text. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (m.find()) {
            pieces.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            String tail = text.substring(end);
            if (pieces.isEmpty()) {
                pieces.add(tail);
            } else {
                pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1) + tail);
            }
        }
        return pieces;
    }

    /** FNV-1a over the UTF-16 units: stable across JVMs and runs, unlike identity hashes. */
    private static long seed(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static String pick(String[] options, SplittableRandom random) {
        return options[random.nextInt(options.length)];
    }

    private static List<String> shuffled(String[] options, SplittableRandom random) {
        List<String> list = new ArrayList<>(List.of(options));
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
        return list;
    }

    private static int wordCount(String sentence) {
        return sentence.split(" ").length;
    }

    /** The words of the prompt the answer talks about. */
    private record Topics(String main, String related) {

        static Topics of(String prompt, SplittableRandom random) {
            Set<String> words = new LinkedHashSet<>();
            Matcher m = WORD.matcher(prompt);
            while (m.find() && words.size() < 4) {
                String word = m.group().toLowerCase(Locale.ROOT);
                if (!STOP_WORDS.contains(word)) {
                    words.add(word);
                }
            }
            List<String> list = new ArrayList<>(words);
            if (list.isEmpty()) {
                return new Topics("this topic", "related ideas");
            }
            String main = list.get(random.nextInt(Math.min(2, list.size())));
            list.remove(main);
            return new Topics(main, list.isEmpty() ? "related ideas" : list.get(0));
        }

        String fill(String template) {
            String capitalized = Character.toUpperCase(main.charAt(0)) + main.substring(1);
            return template.replace("{T}", capitalized).replace("{t}", main).replace("{u}", related);
        }
    }
}
