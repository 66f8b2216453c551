package dev.levee.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResponseGeneratorTest {

    @Test
    void sameQuestionAlwaysGetsTheSameAnswer() {
        assertThat(ResponseGenerator.answerFor("What is a hash map?"))
                .isEqualTo(ResponseGenerator.answerFor("What is a hash map?"))
                .isNotEqualTo(ResponseGenerator.answerFor("What is a binary tree?"));
    }

    @Test
    void everyAnswerHasAtLeastSixtyTokens() {
        IntStream.range(0, 200).mapToObj(i -> "question number " + i + " about topic " + (i * 7919))
                .forEach(q -> assertThat(Cl100k.count(ResponseGenerator.answerFor(q))).as(q).isGreaterThanOrEqualTo(60));
        assertThat(Cl100k.count(ResponseGenerator.answerFor(""))).isGreaterThanOrEqualTo(60);
    }

    @Test
    void answerTalksAboutAWordOfThePrompt() {
        String answer = ResponseGenerator.answerFor("Tell me about glaciers and fjords");

        assertThat(answer).containsAnyOf("glaciers", "fjords", "Glaciers", "Fjords");
    }

    @Test
    void answerIsPlainAsciiSentencesEvenForUnicodePrompts() {
        String answer = ResponseGenerator.answerFor("Erkläre mir Quantenmechanik 🧪 bitte");

        assertThat(answer).matches("[\\x20-\\x7E]+").endsWith(".");
        assertThat(answer.split("\\. ")).hasSizeBetween(4, 9);
    }

    @Test
    void piecesAreWordsWithLeadingSpaceAndConcatenateBack() {
        String text = "Hello brave  new world. ";

        assertThat(ResponseGenerator.pieces(text)).containsExactly("Hello", " brave", "  new", " world. ");
        assertThat(ResponseGenerator.pieces("llo world")).containsExactly("llo", " world");
        assertThat(ResponseGenerator.pieces("")).isEmpty();
    }

    @Test
    void prefillThatIsAPrefixGetsExactlyTheRest() {
        String full = ResponseGenerator.answerFor("Explain compilers");

        assertThat(ResponseGenerator.respond("Explain compilers", full.substring(0, 17)))
                .isEqualTo(full.substring(17));
        assertThat(ResponseGenerator.respond("Explain compilers", full)).isEmpty();
    }

    @Test
    void prefillThatIsNotAPrefixGetsAFreshContinuation() {
        String continuation = ResponseGenerator.respond("Explain compilers", "Compilers are mostly magic");

        assertThat(continuation).startsWith(" ").isNotBlank();
        assertThat(ResponseGenerator.answerFor("Explain compilers")).doesNotContain(continuation.trim());
    }
}
