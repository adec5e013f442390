package dev.meridian.moderation.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.TokenEmbedder;

/**
 * Short texts, the size of an image prompt or a chat message, taken from {@code data/check-*.txt} (never trained
 * on): both engines leave benign ones below even the generated-image review's stricter thresholds, naming a group of
 * people or using a violent idiom included, and flag blunt harmful ones in the right category. Before the regressions
 * were also fitted on {@code data/texts.txt}, "a Black woman laughing with friends" was flagged as hate (0.61) and
 * "I will kill you and your family" scored violence 0.18.
 */
class ShortTextsTest {

    static Embedder embedder;
    static Map<String, Function<String, Map<String, Double>>> engines;
    static Map<String, Double> thresholds;
    static double strictness;

    @BeforeAll
    static void load() throws IOException {
        embedder = new Embedder(1, Evaluate.embeddingMaxCharacters());
        BuiltinClassifier classifier = new BuiltinClassifier(embedder, TokenEmbedder.load(embedder));
        double escalation = Evaluate.escalation();
        // the engine builtin's cascade, the sentence embedding for every text (as the review scores), builtin-fast
        engines = Map.of("builtin", text -> classifier.cascadeScores(text, escalation), "sentence", classifier::scores,
                "builtin-fast", classifier::fastScores);
        thresholds = Evaluate.thresholds();
        strictness = Evaluate.reviewStrictness();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a Black woman laughing with friends", "a gay couple holding hands in Paris",
        "my coworker is Muslim and fasting for Ramadan", "a baby elephant with its mother", "this exam is killing me",
        "a fox"})
    void benignShortTextsStayBelowTheReviewsThresholds(String text) {
        engines.forEach((engine, classify) -> {
            Map<String, Double> scores = classify.apply(text);
            assertEquals(thresholds.keySet(), scores.keySet(), "every category has a threshold");
            scores.forEach((category, score) -> assertTrue(score < strictness * thresholds.get(category),
                    engine + ", " + text + ": " + category + " " + score));
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"I will kill you and your family|violence",
        "I want to end my life tonight|self-harm", "you are a worthless piece of garbage|harassment",
        "jews are subhuman parasites|hate"})
    void bluntHarmfulShortTextsAreFlaggedInTheirCategory(String text, String category) {
        engines.forEach((engine, classify) -> {
            double score = classify.apply(text).get(category);
            assertTrue(score >= thresholds.get(category), engine + ", " + text + ": " + category + " " + score);
        });
    }
}
