package dev.levee.internal.observe.anomaly;

/**
 * An answer that mostly repeats the question. A short answer that contains the whole prompt is an
 * echo whatever the prompt's length. Beyond that, measured on 3-word shingles: how much of the prompt
 * reappears in the answer (containment), and how much of the answer came from the prompt (coverage).
 * Short prompts are not judged by shingles: a good answer naturally repeats a three-word topic.
 */
final class PromptEcho {
    private static final int K = 3;
    private static final int MIN_PROMPT_WORDS = 6;
    /** A prompt this long is not quoted in full by accident. */
    private static final int LONG_PROMPT_SHINGLES = 12;
    private static final int MAX_PROMPT_WORDS = 2000;

    private PromptEcho() {
    }

    static void check(String prompt, long[] answer, Findings findings) {
        if (prompt == null || prompt.isBlank() || answer.length == 0) {
            return;
        }
        long[] p = Words.hashes(prompt, MAX_PROMPT_WORDS);
        if (p.length < 2) {
            return;
        }
        if (answer.length <= 2 * p.length + 4 && containsRun(answer, p)) {
            findings.content(0.9, "echoes the prompt (the answer is the prompt)");
            return;
        }
        if (p.length < MIN_PROMPT_WORDS || answer.length < K) {
            return;
        }
        LongSet promptShingles = Scratch.firstSet(p.length);
        int distinctPrompt = 0;
        for (int i = 0; i + K <= p.length; i++) {
            if (promptShingles.add(Words.shingle(p, i, K))) {
                distinctPrompt++;
            }
        }
        LongSet answerShingles = Scratch.secondSet(answer.length);
        int fromPrompt = 0;
        int total = answer.length - K + 1;
        for (int i = 0; i < total; i++) {
            long s = Words.shingle(answer, i, K);
            answerShingles.add(s);
            if (promptShingles.contains(s)) {
                fromPrompt++;
            }
        }
        int contained = 0;
        for (int i = 0; i + K <= p.length; i++) {
            if (answerShingles.contains(Words.shingle(p, i, K))) {
                contained++;
            }
        }
        double containment = (double) contained / (p.length - K + 1);
        double coverage = (double) fromPrompt / total;
        if (containment >= 0.8 && coverage >= 0.5) {
            findings.content(0.9, "echoes the prompt (" + Math.round(coverage * 100) + "% of the answer)");
        } else if (containment >= 0.8 && distinctPrompt >= LONG_PROMPT_SHINGLES) {
            findings.content(0.75, "echoes the prompt (quotes " + Math.round(containment * 100) + "% of it)");
        }
    }

    private static boolean containsRun(long[] text, long[] run) {
        outer:
        for (int i = 0; i + run.length <= text.length; i++) {
            for (int j = 0; j < run.length; j++) {
                if (text[i + j] != run[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
