package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedding stage: the real BGE model run by ONNX Runtime, and how the classifier combines it. */
class EmbedderTest {

    static Embedder embedder;

    @BeforeAll
    static void load() {
        embedder = new Embedder(1, 200);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void aTextBecomesADeterministicUnitVector() {
        double[] v = embedder.embed("a lighthouse at dusk");
        assertEquals(Embedder.DIMENSION, v.length);
        assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-4);
        assertArrayEquals(v, embedder.embed("a lighthouse at dusk"));
    }

    @Test
    void textsThatMeanTheSameAreCloserThanTextsThatDoNot() {
        double[] threat = embedder.embed("i am going to hurt you badly");
        double[] paraphrase = embedder.embed("i will injure you seriously");
        double[] unrelated = embedder.embed("the recipe needs two cups of flour");
        assertTrue(dot(threat, paraphrase) > dot(threat, unrelated) + 0.1,
                dot(threat, paraphrase) + " vs " + dot(threat, unrelated));
    }

    @Test
    void onlyTheLeadingCharactersAreEmbedded() {
        String head = "word ".repeat(40); // 200 characters, the limit this embedder was built with
        assertArrayEquals(embedder.embed(head), embedder.embed(head + "and then something else entirely"));
        assertNotEquals(1.0, dot(embedder.embed("short"), embedder.embed("short and then more")), 1e-6);
        // a character outside the BMP straddling the limit is left out whole, not cut in half
        String straddling = "word ".repeat(39) + "abcd\uD83D\uDE00";
        assertArrayEquals(embedder.embed("word ".repeat(39) + "abcd"), embedder.embed(straddling));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Embedder(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Embedder(1, 0));
    }

    @Test
    void theClassifierCombinesTheEmbeddingWithTheLexicalModelAndFallsBackWithoutWords() {
        BuiltinClassifier combined = new BuiltinClassifier(embedder);
        BuiltinClassifier lexical = new BuiltinClassifier();
        String text = "we walked to the lake and had a picnic with sandwiches";
        Map<String, Double> both = combined.scores(text);
        Map<String, Double> alone = lexical.scores(text);
        assertEquals(alone.keySet(), both.keySet());
        assertNotEquals(alone, both, "the embedding stage must change the scores");
        assertEquals(alone, combined.lexicalScores(text));
        // a text with no words has nothing to embed: the lexical model scores it alone
        assertEquals(lexical.scores("!!! ???"), combined.scores("!!! ???"));
        assertEquals(lexical.scores(""), combined.scores(""));
    }
}
