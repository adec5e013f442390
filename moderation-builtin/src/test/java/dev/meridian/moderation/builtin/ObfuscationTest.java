package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Disguised text reads as the plain text: the same words after normalisation, and exactly the same scores from the
 * classifier (its lexical model and both its embeddings, which read the canonical words), for each kind of disguise.
 */
class ObfuscationTest {

    static final String PLAIN = "i will kill you and burn your house, you worthless idiot";
    static Embedder embedder;
    static BuiltinClassifier classifier;
    static Lexicon lexicon;

    @BeforeAll
    static void load() {
        embedder = new Embedder(1, 8000);
        classifier = new BuiltinClassifier(embedder, TokenEmbedder.load(embedder));
        lexicon = Lexicon.load();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static List<String> canonical(String text) {
        return lexicon.canonical(Normalizer.normalize(text).words());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // leetspeak
        "i w1ll k1ll y0u and burn y0ur h0use, y0u w0rthl3ss 1d10t",
        "i wi|| ki|| you @nd burn y0ur hou$e, you worthle$$ idi0t",
        // homoglyphs (Cyrillic і, о, у, е, а, с; Greek ο)
        "і wіll kіll уоu аnd burn уоur hοusе, уоu wоrthlеss іdіоt",
        // full-width and accented letters
        "ｉ ｗｉｌｌ ｋｉｌｌ ｙｏｕ ａｎｄ ｂｕｒｎ ｙｏｕｒ ｈｏｕｓｅ, ｙｏｕ ｗｏｒｔｈｌｅｓｓ ｉｄｉｏｔ",
        "ì wíll kïll yöu and bürn your hóuse, you wôrthless ìdiot",
        // letters spelt out with spaces, and symbols inserted inside words
        "i will k i l l you and b u r n your house, you w o r t h l e s s idiot",
        "i will k.i.l.l you and b-u-r-n your house, you worth_less i.d.i.o.t",
        // repeated letters
        "i wiiiill kiiiillll youuuu and burrrrn your house, you worthlessss idiooooot",
        // mixed case
        "I WiLL KiLL YoU AnD BuRn YoUr HoUsE, YoU WoRtHlEsS IdIoT",
        // zero-width characters inside words
        "i will k\u200Bill you and bu\u200Drn your house, you worth\u00ADless idi\uFEFFot"
    })
    void disguisedTextReadsAsThePlainText(String disguised) {
        assertEquals(canonical(PLAIN), canonical(disguised));
        assertEquals(classifier.scores(PLAIN), classifier.scores(disguised));
        assertEquals(classifier.fastScores(PLAIN), classifier.fastScores(disguised));
        assertEquals(classifier.cascadeScores(PLAIN, 0.05), classifier.cascadeScores(disguised, 0.05));
    }

    @Test
    void maskedLettersAreRestoredWhenOnlyOneLexiconWordFits() {
        assertEquals(canonical("you fucking idiot"), canonical("you f*cking id**t"));
        assertEquals(classifier.scores("you fucking idiot"), classifier.scores("you f*cking id**t"));
        assertEquals(classifier.fastScores("you fucking idiot"), classifier.fastScores("you f*cking id**t"));
    }

    @Test
    void aWordSplitInTwoIsJoinedWhenTheHalvesAreNotWords() {
        assertEquals(canonical("i want to commit suicide"), canonical("i want to commit sui cide"));
    }

    @Test
    void ordinaryWordsAndNumbersAreLeftAlone() {
        assertEquals(List.of("the", "kilometre", "race", "starts", "at", "am", "in", "for", "the", "kids"),
                Normalizer.normalize("The kilometre race starts at 5am in 2024 for the kids!").words());
        assertEquals(List.of(13), Normalizer.normalize("she is a 13yo girl").ages());
        assertEquals(List.of(15, 40), Normalizer.normalize("a 15 year old and a 40-year-old").ages());
    }

    @Test
    void harmfulTextScoresAboveBenignTextInItsCategory() {
        for (Function<String, Map<String, Double>> scores : List.<Function<String, Map<String, Double>>>of(
                classifier::scores, classifier::fastScores, text -> classifier.cascadeScores(text, 0.05))) {
            Map<String, Double> threat = scores.apply(PLAIN);
            Map<String, Double> benign = scores.apply("we walked to the lake and had a picnic with sandwiches");
            assertTrue(threat.get("violence") > benign.get("violence"), threat + " vs " + benign);
            assertTrue(threat.get("harassment") > benign.get("harassment"), threat + " vs " + benign);
            Map<String, Double> selfHarm = scores.apply("i want to kill myself, i have been cutting my wrists");
            assertTrue(selfHarm.get("self-harm") > benign.get("self-harm"), selfHarm + " vs " + benign);
            for (Map<String, Double> s : List.of(threat, benign, selfHarm)) {
                assertEquals(13, s.size());
                s.values().forEach(v -> assertTrue(v >= 0 && v <= 1, "score out of [0,1]: " + v));
            }
        }
    }

    @Test
    void scoresAreDeterministic() {
        assertEquals(new BuiltinClassifier(embedder, null).scores(PLAIN), classifier.scores(PLAIN));
        assertEquals(new BuiltinClassifier(embedder, TokenEmbedder.load(embedder)).fastScores(PLAIN),
                classifier.fastScores(PLAIN));
    }
}
