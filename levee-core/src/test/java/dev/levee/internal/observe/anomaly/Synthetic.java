package dev.levee.internal.observe.anomaly;

import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Answers the simulator cannot give: every simulated answer is healthy prose. Each is a real
 * simulator response with its text (and, where the length changes, its token count and latency)
 * replaced, so the statistical part sees realistic figures.
 */
final class Synthetic {
    private static final String[] VOCABULARY = ("system design trade latency budget queue worker retry token model "
            + "cache index shard replica leader follower commit ledger batch stream window partition cluster node "
            + "garden river mountain winter summer harvest market price demand supply contract policy audit report "
            + "review schedule budget forecast growth risk hedge bond equity yield inflation currency export import "
            + "protein enzyme cell membrane neuron signal pathway gene variant sample trial dose outcome cohort "
            + "melody rhythm chord tempo harmony scale octave verse chorus bridge lyric studio mix master album "
            + "engine piston torque gear axle brake clutch chassis fuel sensor valve pump filter pressure flow "
            + "history empire treaty border revolution monarchy parliament reform trade route colony harbor fleet "
            + "careful quick simple robust fragile steady narrow broad early late strong weak bright quiet "
            + "measure compare explain divide combine reduce expand verify observe predict adjust build test ship")
            .split(" ");

    private Synthetic() {
    }

    static ChatResponse withText(ChatResponse real, String text, int completionTokens, double latencyMs,
                                 FinishReason finish) {
        Usage u = real.usage();
        return new ChatResponse(text, real.modelUsed(), real.provider(), real.route(),
                new Usage(u.promptTokens(), completionTokens, u.promptTokens() + completionTokens, u.estimated()),
                finish, latencyMs, real.fallbackLevel(), real.requestId() + "-synthetic", Instant.now(),
                real.attempts());
    }

    static ChatResponse withLatency(ChatResponse real, double latencyMs) {
        return new ChatResponse(real.text(), real.modelUsed(), real.provider(), real.route(), real.usage(),
                real.finishReason(), latencyMs, real.fallbackLevel(), real.requestId(), real.timestamp(),
                real.attempts());
    }

    /** Roughly what cl100k makes of English prose. */
    static int tokensOf(String text) {
        return Math.max(1, (int) Math.round(words(text).size() * 1.3));
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("(?<=[.!?])\\s+")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** Non-repeating prose of about {@code words} words. */
    static String prose(int words, SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int inSentence = 0;
        int sentenceLength = 8 + random.nextInt(10);
        for (int i = 0; i < words; i++) {
            String w = VOCABULARY[random.nextInt(VOCABULARY.length)];
            if (inSentence == 0) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            sb.append(w);
            if (++inSentence == sentenceLength) {
                sb.append(". ");
                inSentence = 0;
                sentenceLength = 8 + random.nextInt(10);
            } else {
                sb.append(' ');
            }
        }
        return sb.toString().trim();
    }

    /** A loop in one of the shapes models fall into, about as long as {@code answer}. */
    static String loop(String answer, SplittableRandom random) {
        List<String> sentences = sentences(answer);
        List<String> words = words(answer);
        switch (random.nextInt(4)) {
            case 0: { // one sentence over and over
                String s = sentences.get(random.nextInt(sentences.size()));
                int times = Math.max(4, words.size() / Math.max(1, words(s).size()));
                return repeat(s, " ", times);
            }
            case 1: { // a healthy start, then a phrase stuck on repeat
                int keep = words.size() / 2;
                int from = random.nextInt(Math.max(1, words.size() - 8));
                String phrase = String.join(" ", words.subList(from, from + 3 + random.nextInt(5)));
                return String.join(" ", words.subList(0, keep)) + " " + repeat(phrase, " ", 5 + random.nextInt(8));
            }
            case 2: { // a word stutter
                String w = words.get(random.nextInt(words.size())).replaceAll("\\W", "");
                return sentences.get(0) + " " + repeat(w.isEmpty() ? "the" : w, " ", 6 + random.nextInt(15));
            }
            default: { // the same list line again and again
                String line = "- " + sentences.get(random.nextInt(sentences.size()));
                return "Here are the steps:\n" + repeat(line, "\n", 4 + random.nextInt(6));
            }
        }
    }

    static String refusal(String topic, String answer, SplittableRandom random) {
        String[] templates = {
            "I'm sorry, but I can't help with that request.",
            "I\u2019m sorry, but I cannot provide information about %s.",
            "I apologize, but I am unable to assist with questions about %s.",
            "As an AI language model, I do not have personal opinions about %s. However, " + answer,
            "Unfortunately, I cannot answer that question about %s.",
            "I must respectfully decline to discuss %s.",
            "Sorry, I can't assist with that.",
            "I'm not able to help with that request about %s, as it goes against my guidelines.",
            "As an AI, I don't have access to real-time information about %s.",
            "I'm really sorry, but I won't be able to write that for you.",
        };
        return templates[random.nextInt(templates.length)].formatted(topic);
    }

    static String echo(String prompt, String answer, SplittableRandom random) {
        switch (random.nextInt(4)) {
            case 0:
                return prompt;
            case 1:
                return "You asked: \"" + prompt + "\"";
            case 2:
                return prompt + "\n\n" + prompt;
            default:
                return prompt + " Let me think about that.";
        }
    }

    static String withSensitiveData(String answer, SplittableRandom random) {
        String secret;
        switch (random.nextInt(7)) {
            case 0:
                secret = "You can reach the admin at " + name(random) + "." + name(random) + "@example.com for access.";
                break;
            case 1:
                secret = "Use the key sk-proj-" + alnum(random, 32) + " in the Authorization header.";
                break;
            case 2:
                secret = "The card on file is " + luhnCard(random) + ".";
                break;
            case 3:
                secret = "Her SSN is " + (100 + random.nextInt(800)) + "-" + (10 + random.nextInt(89)) + "-"
                        + (1000 + random.nextInt(8999)) + ".";
                break;
            case 4:
                secret = "Call (" + (200 + random.nextInt(700)) + ") " + (200 + random.nextInt(700)) + "-"
                        + (1000 + random.nextInt(8999)) + " to confirm.";
                break;
            case 5:
                secret = "Send it with Authorization: Bearer eyJ" + alnum(random, 20) + "." + alnum(random, 30) + "."
                        + alnum(random, 24);
                break;
            default:
                secret = "The database password: " + alnum(random, 12) + " is stored in the config.";
                break;
        }
        List<String> sentences = sentences(answer);
        sentences.add(1 + random.nextInt(sentences.size() - 1), secret);
        return String.join(" ", sentences);
    }

    /** A healthy answer in a shape that resembles an anomaly: the false positives to avoid. */
    static String healthyVariant(String prompt, String answer, String topic, SplittableRandom random) {
        List<String> sentences = sentences(answer);
        switch (random.nextInt(7)) {
            case 0:
                return "You asked about " + topic + ". " + answer;
            case 1:
                return "Key points:\n- " + String.join("\n- ", sentences);
            case 2:
                return sentences.get(0) + "\n\n```python\nfor item in items:\n    process(item)\n    log(item)\n```\n\n"
                        + String.join(" ", sentences.subList(1, sentences.size()));
            case 3:
                return answer + " Order " + nonLuhnCard(random) + " shipped on 2024-03-0" + (1 + random.nextInt(9))
                        + " with version 2." + random.nextInt(20) + "." + random.nextInt(10) + ".";
            case 4:
                return "Sorry for the confusion earlier. " + answer;
            case 5:
                return "As an AI researcher would tell you, " + Character.toLowerCase(answer.charAt(0))
                        + answer.substring(1);
            default:
                return "| aspect | note |\n| --- | --- |\n| " + String.join(" |\n| ", sentences).replace(". ", " | ")
                        + " |";
        }
    }

    private static String nonLuhnCard(SplittableRandom random) {
        String card = luhnCard(random);
        char last = card.charAt(card.length() - 1);
        return card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static String repeat(String s, String separator, int times) {
        return String.join(separator, java.util.Collections.nCopies(times, s));
    }

    private static String name(SplittableRandom random) {
        String[] names = {"jane", "john", "maria", "wei", "amara", "lars", "priya", "omar"};
        return names[random.nextInt(names.length)];
    }

    private static String alnum(SplittableRandom random, int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(random.nextInt(chars.length())));
        }
        return sb.toString();
    }

    /** A 16-digit number that passes the Luhn check, grouped by four. */
    private static String luhnCard(SplittableRandom random) {
        int[] d = new int[16];
        d[0] = 4;
        for (int i = 1; i < 15; i++) {
            d[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int v = d[14 - i];
            if (i % 2 == 0) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
        }
        d[15] = (10 - sum % 10) % 10;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append(' ');
            }
            sb.append(d[i]);
        }
        return sb.toString();
    }
}
