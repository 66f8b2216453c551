package dev.levee.internal.observe.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.AnomalyScore;
import dev.levee.ChatRequest;
import dev.levee.ChatResponse;
import dev.levee.FinishReason;
import dev.levee.Usage;
import dev.levee.simulator.ResponseGenerator;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The content checks, through a fresh detector (no baseline yet, so only content counts). Healthy
 * answers come from the simulator's generator, the same prose levee's tests see everywhere.
 */
class ContentChecksTest {
    private static final double THRESHOLD = 0.7;
    private static final String PROMPT = "Explain how circuit breakers protect a service from cascading failures";
    private static final String ANSWER = ResponseGenerator.answerFor(PROMPT);

    private static AnomalyScore score(String prompt, String text, FinishReason finish) {
        ChatResponse r = new ChatResponse(text, "m", "sim", "default", Usage.of(12, 80), finish, 900, 0, "r",
                Instant.EPOCH, List.of());
        return new BaselineAnomalyDetector().score(ChatRequest.of(prompt), r, null);
    }

    private static AnomalyScore score(String text) {
        return score(PROMPT, text, FinishReason.STOP);
    }

    @Test
    void healthyAnswersScoreZero() {
        for (int i = 0; i < 200; i++) {
            String prompt = "Question " + i + ": what should I know about topic" + (char) ('a' + i % 26) + " and more?";
            AnomalyScore s = score(prompt, ResponseGenerator.answerFor(prompt), FinishReason.STOP);
            assertThat(s.score()).as(prompt).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\n"})
    void anEmptyAnswerIsAnAnomaly(String text) {
        AnomalyScore s = score(text);
        assertThat(s.score()).isEqualTo(1.0);
        assertThat(s.reasons()).containsExactly("empty answer");
    }

    @Test
    void truncationAloneIsMildAndStaysBelowTheThreshold() {
        AnomalyScore s = score(PROMPT, ANSWER.substring(0, ANSWER.length() / 2), FinishReason.LENGTH);
        assertThat(s.score()).isCloseTo(ContentChecks.TRUNCATED, org.assertj.core.data.Offset.offset(1e-9))
                .isLessThan(THRESHOLD);
        assertThat(s.reasons()).containsExactly("truncated at the token limit");
    }

    @Test
    void aContentFilterStopIsAnAnomaly() {
        AnomalyScore s = score(PROMPT, "Here is", FinishReason.CONTENT_FILTER);
        assertThat(s.score()).isGreaterThan(THRESHOLD);
        assertThat(s.reasons()).contains("stopped by the content filter");
    }

    @Test
    void aSentenceRepeatedOverAndOverIsALoop() {
        String loop = String.join(" ", Collections.nCopies(8, "The key idea is to start simple and add detail."));
        AnomalyScore s = score(loop);
        assertThat(s.score()).isGreaterThan(THRESHOLD);
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("repetition loop"));
    }

    /**
     * A thread reuses its tables from one answer to the next: the loop's 4-word sequences, left
     * behind, would make the same prose said once look repeated, and its echo of one prompt would
     * count against the next.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10) // tables never emptied fill up, and a probe of a full one never ends
    void anAnswerIsJudgedOnItsOwnWordsAfterAnotherOnTheSameThread() {
        String loop = String.join(" ", Collections.nCopies(4, ANSWER));
        assertThat(score(loop).reasons()).anyMatch(r -> r.startsWith("repetition loop"));
        assertThat(score(ANSWER).score()).isZero();

        assertThat(score(PROMPT, PROMPT + " " + PROMPT, FinishReason.STOP).reasons())
                .anyMatch(r -> r.startsWith("echoes the prompt"));
        assertThat(score("What protects a service from cascading failures?", ANSWER, FinishReason.STOP).score())
                .isZero();
    }

    @Test
    void aHealthyStartThatFallsIntoALoopIsALoop() {
        String text = ANSWER.substring(0, ANSWER.length() / 2) + " "
                + String.join(" ", Collections.nCopies(6, "and then we retry the call"));
        assertThat(score(text).score()).isGreaterThan(THRESHOLD);
    }

    @Test
    void aWordStutterAndAHeldCharacterAreLoops() {
        assertThat(score("The answer is the the the the the the the").reasons())
                .containsExactly("repetition loop (one word 7 times in a row)");
        assertThat(score("Well " + "a".repeat(40)).score()).isGreaterThan(THRESHOLD);
    }

    @Test
    void listsTablesAndCodeAreNotLoops() {
        List<String> sentences = Synthetic.sentences(ANSWER);
        String list = "Key points:\n- " + String.join("\n- ", sentences);
        String table = "| step | note |\n| --- | --- |\n| 1 | connect |\n| 2 | retry |\n| 3 | give up |\n"
                + "-".repeat(40);
        String code = ANSWER + "\n```java\nfor (Item item : items) {\n    process(item);\n    log(item);\n}\n```";
        String matrix = "The identity matrix:\n" + "1 0 0 0 0 0 0\n0 1 0 0 0 0 0\n0 0 1 0 0 0 0\n0 0 0 1 0 0 0\n"
                + "0 0 0 0 1 0 0\n0 0 0 0 0 1 0\n0 0 0 0 0 0 1\nand a padded id 00000000000000000042.";
        assertThat(score(list).score()).isZero();
        assertThat(score(table).score()).isLessThan(THRESHOLD);
        assertThat(score(code).score()).isZero();
        assertThat(score(matrix).score()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "I'm sorry, but I can't help with that request.",
        "I\u2019m sorry, but I cannot provide information about explosives.",
        "I apologize, but I am unable to assist with this.",
        "As an AI language model, I do not have personal opinions.",
        "Sorry, I can't assist with that.",
        "Unfortunately, I cannot answer that question.",
        "I must respectfully decline.",
        "That request goes against my guidelines.",
        "As an AI, I don't have access to real-time data.",
    })
    void refusalBoilerplateIsAnAnomaly(String text) {
        AnomalyScore s = score(text);
        assertThat(s.score()).isGreaterThan(THRESHOLD);
        assertThat(s.reasons()).contains("refusal boilerplate");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Sorry for the confusion earlier. ",
        "As an AI researcher would tell you, ",
        "I can't stress this enough: ",
    })
    void apologiesAndMentionsOfAiThatStillAnswerAreFine(String opening) {
        assertThat(score(opening + ANSWER).score()).isZero();
    }

    @Test
    void aRefusalLateInALongAnswerCountsForLess() {
        String text = ANSWER + " " + Synthetic.prose(80, new SplittableRandom(1))
                + " Some tools reply 'I'm sorry, but I can't help with that' here.";
        AnomalyScore s = score(text);
        assertThat(s.score()).isCloseTo(Refusals.LATER, org.assertj.core.data.Offset.offset(1e-9))
                .isLessThan(THRESHOLD);
        assertThat(s.reasons()).contains("refusal boilerplate later in the answer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s", "You asked: \"%s\"", "%s\n\n%s", "%s Let me think about that."})
    void anAnswerThatEchoesThePromptIsAnAnomaly(String shape) {
        AnomalyScore s = score(shape.formatted(PROMPT, PROMPT));
        assertThat(s.score()).isGreaterThan(THRESHOLD);
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("echoes the prompt"));
        assertThat(score("What is rate limiting?", shape.formatted("What is rate limiting?",
                "What is rate limiting?"), FinishReason.STOP).score()).isGreaterThan(THRESHOLD);
    }

    @Test
    void aLongPromptQuotedInFullIsAnEcho() {
        String prompt = "Please review the following paragraph about our quarterly planning process and tell me "
                + "whether the tone is appropriate for an audience of new employees in the sales department";
        AnomalyScore s = score(prompt, ANSWER + " " + prompt + " " + Synthetic.prose(60, new SplittableRandom(2)),
                FinishReason.STOP);
        assertThat(s.score()).isGreaterThan(THRESHOLD);
    }

    @Test
    void anAnswerThatMentionsThePromptsTopicIsNoEcho() {
        String text = "Circuit breakers protect a service by failing fast. " + ANSWER;
        assertThat(score(text).score()).isZero();
        assertThat(score("Explain rate limiting", "Rate limiting caps how many calls a client may make. " + ANSWER,
                FinishReason.STOP).score()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Write to jane.doe@example.com for access.|email address",
        "Use the key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx12 in the header.|api key",
        "The AWS key is AKIAIOSFODNN7EXAMPLE.|api key",
        "The card on file is 4111 1111 1111 1111.|card number",
        "Her SSN is 123-45-6789.|social security number",
        "Call (415) 555-0199 to confirm.|phone number",
        "Send Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz|access token",
        "The database password: hunter2hunter2 is in the config.|credential",
    })
    void secretsAndPersonalDataInTheAnswerAreAnomalies(String caseText) {
        String[] parts = caseText.split("\\|");
        AnomalyScore s = score(ANSWER + " " + parts[0]);
        assertThat(s.score()).isGreaterThan(THRESHOLD);
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("sensitive data in the answer") && r.contains(parts[1]));
        assertThat(String.join(" ", s.reasons())).as("the reason never repeats the value")
                .doesNotContain("jane.doe", "sk-proj", "AKIA", "4111", "6789", "0199", "eyJ", "hunter2");
    }

    @Test
    void numbersThatAreNotCardsOrPhonesAreFine() {
        String text = ANSWER + " Order 4111 1111 1111 1112 shipped on 2024-03-05 with version 2.14.3.";
        assertThat(score(text).score()).isZero();
    }

    @Test
    void findingsCombineAndAreListedStrongestFirst() {
        String text = "I'm sorry, but I can't help with that. Write to jane.doe@example.com instead.";
        AnomalyScore s = score(PROMPT, text, FinishReason.LENGTH);
        // 1 - (1 - 0.85)(1 - 0.85)(1 - 0.45)
        assertThat(s.score()).isCloseTo(1 - 0.15 * 0.15 * 0.55, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.reasons()).last().isEqualTo("truncated at the token limit");
    }
}
