package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class LexiconTest {

    static int[] count(Lexicon lexicon, String text) {
        return lexicon.count(lexicon.canonical(Normalizer.normalize(text).words()));
    }

    @Test
    void anEntryThatNormalisesToAnEverydayWordIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lexicon.parse(List.of("secondperson: you, thee")));
        assertEquals("lexicon word 'thee' normalises to the common word 'the' and would match it everywhere",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lexicon.parse(List.of("romance: butt")));
    }

    @Test
    void stemsPhrasesAndDisguisesAreCounted() {
        Lexicon lexicon = Lexicon.parse(List.of("violence: kill*, shoot them", "target: them"));
        assertEquals(List.of("violence", "target"), lexicon.groups());
        assertArrayEquals(new int[] {3, 2}, count(lexicon, "K1LLERS shoot them, kill them"));
        assertArrayEquals(new int[] {0, 0}, count(lexicon, "a kilometre away"));
    }

    @Test
    void theShippedLexiconLoads() {
        assertEquals(25, Lexicon.load().groups().size());
    }
}
