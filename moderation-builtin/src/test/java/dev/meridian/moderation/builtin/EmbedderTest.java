package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two embeddings: the real BGE model run by ONNX Runtime, the token embedding distilled from it, and how the
 * classifier combines each with the lexical model.
 */
class EmbedderTest {

    static Embedder embedder;
    static TokenEmbedder tokens;

    @BeforeAll
    static void load() {
        embedder = new Embedder(1, 200);
        tokens = TokenEmbedder.load(embedder);
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
    void aTextEmbedsTheSameBitForBitAloneAndInAnyBatch() {
        List<long[]> texts = new ArrayList<>();
        for (String text : new String[] {"hi", "I will kill you", "a watercolor painting of a fox in the snow",
                "you absolutely slayed that performance and everyone in the room knew it"}) {
            texts.add(embedder.tokenIds(text));
        }
        // up to the longest text that runs as one row
        Random random = new Random(7);
        for (int length : new int[] {37, 120, 300, Embedder.MAX_TOKENS}) {
            texts.add(random.longs(length, 1000, Embedder.VOCABULARY).toArray());
        }
        List<double[]> alone = texts.stream().map(t -> embedder.embedTokens(List.of(t))[0]).toList();
        for (int trial = 0; trial < 12; trial++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(5); i < n; i++) {
                rows.add(random.nextInt(texts.size()));
            }
            double[][] batch = embedder.embedTokens(rows.stream().map(texts::get).toList());
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(alone.get(rows.get(i)), batch[i], "text " + rows.get(i) + " in batch " + rows);
            }
        }
        assertArrayEquals(alone.get(1), embedder.embed("I will kill you"));
    }

    @Test
    void concurrentCallersOfABatchingEmbedderGetWhatTheyWouldGetAlone() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            texts.add("text number " + i + (i % 3 == 0 ? " about a quiet harbour at dawn" : "") + " ok".repeat(i % 7));
        }
        Map<String, double[]> alone = new java.util.HashMap<>();
        texts.forEach(t -> alone.put(t, embedder.embed(t)));
        try (Embedder batching = new Embedder(1, 200, new Embedder.Batching(8, 2, 1024))) {
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                List<java.util.concurrent.Future<double[]>> results = new ArrayList<>();
                for (String t : texts) {
                    results.add(callers.submit(() -> batching.embed(t)));
                }
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(alone.get(texts.get(i)), results.get(i).get(), texts.get(i));
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void ofATextLongerThanTheModelTakesOnlyTheFirst510TokensAreEmbedded() {
        try (Embedder wide = new Embedder(1, 8000)) {
            String harbour = "the harbour was quiet at dawn and the boats rocked gently ".repeat(50);
            String recipe = "mix two cups of flour with butter and sugar then bake the cake for forty minutes ".repeat(15);
            assertTrue(wide.tokenIds(harbour).length > Embedder.MAX_TOKENS);
            double[] v = wide.embed(harbour + recipe);
            long[] first = java.util.Arrays.copyOf(wide.tokenIds(harbour), Embedder.MAX_TOKENS);
            assertArrayEquals(wide.embedTokens(List.of(first))[0], v);
            assertArrayEquals(v, wide.embed(harbour));
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Embedder(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Embedder.Batching(0, 1, 1024));
        assertThrows(IllegalArgumentException.class, () -> new Embedder.Batching(8, 0, 1024));
        // a batch too small for the longest text would never run it
        assertThrows(IllegalArgumentException.class, () -> new Embedder.Batching(8, 2, Embedder.MAX_TOKENS + 1));
        assertThrows(IllegalArgumentException.class, () -> new Embedder(1, 0));
    }

    @Test
    void theTokenEmbeddingIsADeterministicUnitVectorOfItsTokensWhateverTheirOrder() {
        double[] v = tokens.embed("a lighthouse at dusk");
        assertEquals(Embedder.DIMENSION, v.length);
        assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-9);
        assertArrayEquals(v, tokens.embed("a lighthouse at dusk"));
        // a bag of tokens: word order is lost, which is what the sentence embedding is for
        assertArrayEquals(tokens.embed("the dog bit the man"), tokens.embed("the man bit the dog"));
        assertNotEquals(dot(embedder.embed("the dog bit the man"), embedder.embed("the man bit the dog")), 1.0, 1e-3);
        // the same leading characters as the sentence embedding
        String head = "word ".repeat(40);
        assertArrayEquals(tokens.embed(head), tokens.embed(head + "and then something else entirely"));
    }

    @Test
    void theTokenEmbeddingKeepsTheModelsSenseOfWords() {
        double[] threat = tokens.embed("i am going to hurt you badly");
        double[] paraphrase = tokens.embed("i will injure you seriously");
        double[] unrelated = tokens.embed("the recipe needs two cups of flour");
        assertTrue(dot(threat, paraphrase) > dot(threat, unrelated) + 0.1,
                dot(threat, paraphrase) + " vs " + dot(threat, unrelated));
    }

    @Test
    void onlyTokensThatWeighCountAndCommonWordsWeighLeast() {
        assertNull(tokens.embed("[CLS] [SEP] [PAD]"), "special tokens weigh nothing");
        assertEquals(0.0, TokenEmbedder.weight(100)); // [UNK]
        assertEquals(Math.log(2), TokenEmbedder.weight(999)); // "!", a single character
        long[] the = embedder.tokenIds("the");
        long[] lighthouse = embedder.tokenIds("lighthouse");
        assertArrayEquals(new long[] {1996}, the);
        assertTrue(TokenEmbedder.weight((int) lighthouse[0]) > TokenEmbedder.weight(1996));
        for (long id : embedder.tokenIds("Ünïcode, emoji \uD83D\uDE00 and ｆｕｌｌ-width")) {
            assertTrue(id >= 0 && id < embedder.vocabularySize(), "token id " + id);
        }
    }

    @Test
    void theClassifierCombinesEachEmbeddingWithTheLexicalModelAndFallsBackWithoutWords() {
        BuiltinClassifier combined = new BuiltinClassifier(embedder, tokens);
        BuiltinClassifier lexical = new BuiltinClassifier();
        String text = "we walked to the lake and had a picnic with sandwiches";
        Map<String, Double> sentence = combined.scores(text);
        Map<String, Double> fast = combined.fastScores(text);
        Map<String, Double> alone = lexical.scores(text);
        assertEquals(alone.keySet(), sentence.keySet());
        assertEquals(alone.keySet(), fast.keySet());
        assertNotEquals(alone, sentence, "the sentence embedding must change the scores");
        assertNotEquals(alone, fast, "the token embedding must change the scores");
        assertNotEquals(sentence, fast);
        // without the embedder it needs, each scores with the lexical model alone
        assertEquals(alone, new BuiltinClassifier(embedder, null).fastScores(text));
        assertEquals(alone, new BuiltinClassifier(null, tokens).scores(text));
        assertEquals(alone, lexical.fastScores(text));
        // a text with no words has nothing to embed: the lexical model scores it alone
        for (String wordless : new String[] {"!!! ???", ""}) {
            assertEquals(lexical.scores(wordless), combined.scores(wordless));
            assertEquals(lexical.scores(wordless), combined.fastScores(wordless));
            assertEquals(lexical.scores(wordless), combined.cascadeScores(wordless, 0.05));
        }
    }

    @Test
    void theCascadeTakesTheSentenceEmbeddingOnlyWhenACategoryReachesTheEscalationWithTheTokenEmbedding() {
        BuiltinClassifier combined = new BuiltinClassifier(embedder, tokens);
        String benign = "we walked to the lake and had a picnic with sandwiches";
        Map<String, Double> fast = combined.fastScores(benign);
        double highest = java.util.Collections.max(fast.values());
        assertEquals(fast, combined.cascadeScores(benign, Math.nextUp(highest)), "below the escalation, fast scores");
        assertEquals(combined.scores(benign), combined.cascadeScores(benign, highest), "at it, the sentence embedding");
        assertEquals(combined.scores(benign), combined.cascadeScores(benign, 0), "0 always escalates");
        String threat = "i am going to hurt you badly";
        assertTrue(java.util.Collections.max(combined.fastScores(threat).values()) >= 0.05);
        assertEquals(combined.scores(threat), combined.cascadeScores(threat, 0.05));
        BuiltinClassifier sentenceOnly = new BuiltinClassifier(embedder, null);
        assertEquals(sentenceOnly.scores(benign), sentenceOnly.cascadeScores(benign, 0.05),
                "without the token embedding, the sentence embedding answers");
    }

    @Test
    void theTextsOfARequestGoThroughTheCascadeTogetherAndScoreAsEachAlone() {
        List<String> texts = List.of("i am going to hurt you badly", "we walked to the lake and had a picnic",
                "!!! ???", "you are a wonderful friend", "kill them all, every last one", "a lighthouse at dusk");
        try (Embedder batching = new Embedder(1, 200, new Embedder.Batching(8, 2, 1024))) {
            BuiltinClassifier alone = new BuiltinClassifier(embedder, tokens);
            BuiltinClassifier together = new BuiltinClassifier(batching, tokens);
            List<Map<String, Double>> expected = texts.stream().map(t -> alone.cascadeScores(t, 0.05)).toList();
            // three of them go on to the sentence embedding, as one batch
            assertEquals(3, texts.stream().filter(t -> !alone.fastScores(t).equals(alone.cascadeScores(t, 0.05)))
                    .count());
            assertEquals(expected, together.cascadeScores(texts, 0.05));
            assertEquals(expected, alone.cascadeScores(texts, 0.05));
            assertEquals(texts.stream().map(alone::scores).toList(), together.cascadeScores(texts, 0));
            assertEquals(List.of(), together.cascadeScores(List.of(), 0.05));
            double[][] embeddings = batching.embedAll(texts.subList(0, 2));
            assertArrayEquals(embedder.embed(texts.get(0)), embeddings[0]);
            assertArrayEquals(embedder.embed(texts.get(1)), embeddings[1]);
        }
    }
}
