package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short texts, the size of an image prompt or a chat message, taken from {@code training/check-*.txt} (never trained
 * on): both engines leave benign ones below even the generated-image review's stricter thresholds, naming a group of
 * people or using a violent idiom included, and flag blunt harmful ones in the right category. Before the regressions
 * were also fitted on {@code training/texts.txt}, "a Black woman laughing with friends" was flagged as hate (0.61) and
 * "I will kill you and your family" scored violence 0.18.
 */
class ShortTextsTest {

    static Embedder embedder;
    static BuiltinClassifier classifier;
    static Properties configuration = new Properties();

    @BeforeAll
    static void load() throws IOException {
        embedder = new Embedder(1, 8000);
        classifier = new BuiltinClassifier(embedder, TokenEmbedder.distil(embedder));
        try (InputStream in = ShortTextsTest.class.getResourceAsStream("/application.properties")) {
            configuration.load(in);
        }
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double threshold(String category) {
        return Double.parseDouble(
                configuration.getProperty("meridian.moderation.builtin.thresholds.\"" + category + "\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a Black woman laughing with friends", "a gay couple holding hands in Paris",
        "my coworker is Muslim and fasting for Ramadan", "a baby elephant with its mother", "this exam is killing me",
        "a fox"})
    void benignShortTextsStayBelowTheReviewsThresholds(String text) {
        double strictness = Double.parseDouble(configuration.getProperty("meridian.moderation.review.strictness"));
        for (Function<String, Map<String, Double>> engine : engines()) {
            engine.apply(text).forEach((category, score) -> assertTrue(score < strictness * threshold(category),
                    text + ": " + category + " " + score));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"I will kill you and your family|violence",
        "I want to end my life tonight|self-harm", "you are a worthless piece of garbage|harassment",
        "jews are subhuman parasites|hate"})
    void bluntHarmfulShortTextsAreFlaggedInTheirCategory(String text, String category) {
        for (Function<String, Map<String, Double>> engine : engines()) {
            double score = engine.apply(text).get(category);
            assertTrue(score >= threshold(category), text + ": " + category + " " + score);
        }
    }

    @SuppressWarnings("unchecked")
    static Function<String, Map<String, Double>>[] engines() {
        return new Function[] {(Function<String, Map<String, Double>>) classifier::scores,
            (Function<String, Map<String, Double>>) classifier::fastScores};
    }
}
