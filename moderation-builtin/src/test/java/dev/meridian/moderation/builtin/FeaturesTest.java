package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proximity features count a word of one group only when a word of the other is close by (or, for ordered
 * pairs, close after it), so the same words far apart, or in the other order, do not count.
 */
class FeaturesTest {

    static final String FILLER = " and then we talked for a long while about the weather the garden the neighbours the"
            + " prices at the market and the old bridge over the river before going home ";
    static Features features;

    @BeforeAll
    static void load() {
        features = new Features(Lexicon.load());
    }

    static double feature(String text, String name) {
        int i = features.names().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no feature " + name);
        }
        return features.extract(text).x()[i];
    }

    @Test
    void anInsultCountsAsAimedOnlyNextToAYou() {
        assertEquals(Math.log1p(1), feature("you are an idiot", "secondperson~insult"), 1e-12);
        assertEquals(Math.log1p(1), feature("what an idiot you are", "secondperson~insult"), 1e-12);
        assertEquals(0, feature("you said" + FILLER + "that the idiot left", "secondperson~insult"), 1e-12);
        assertEquals(Math.log1p(2), feature("you idiot, you moron", "secondperson~insult"), 1e-12);
    }

    @Test
    void violenceNeedsItsTargetAfterIt() {
        assertEquals(Math.log1p(1), feature("kill them all", "violence>target"), 1e-12);
        assertEquals(0, feature("them? kill", "violence>target"), 1e-12);
        assertEquals(0, feature("kill the lights, said the director to them", "violence>target"), 1e-12);
    }

    @Test
    void aThreatCueMustComeBeforeTheViolence() {
        assertEquals(Math.log1p(1), feature("they should be shot", "threat>violence"), 1e-12);
        assertEquals(0, feature("the shot should be", "threat>violence"), 1e-12);
    }

    @Test
    void anInjuryIsAnInjuryWordNextToABodyPart() {
        assertEquals(Math.log1p(1), feature("he broke his leg", "injury~bodypart"), 1e-12);
        assertEquals(Math.log1p(2), feature("a fractured skull and cracked ribs", "injury~bodypart"), 1e-12);
        assertEquals(0, feature("the vase broke" + FILLER + "and my leg was fine", "injury~bodypart"), 1e-12);
    }

    @Test
    void disguisedWordsAreCloseToo() {
        assertEquals(feature("you are an idiot", "secondperson~insult"),
                feature("y0u are an 1d10t", "secondperson~insult"), 1e-12);
    }
}
