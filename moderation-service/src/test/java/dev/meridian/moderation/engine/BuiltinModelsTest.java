package dev.meridian.moderation.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.ImageClassifier;

/** The models a production start loads before Quarkus boots, handed over once, as the shipped configuration uses them. */
class BuiltinModelsTest {

    @Test
    void theModelsLoadedEarlyAreHandedOverOnceAndWorkLikeModelsLoadedLater() throws Exception {
        assertNull(BuiltinModels.takeEarly(), "nothing loads unless a start asks for it");
        BuiltinModels.loadEarly();
        BuiltinModels early = BuiltinModels.takeEarly();
        assertNotNull(early);
        assertNull(BuiltinModels.takeEarly(), "handed over once");

        Embedder.Model model = BuiltinModels.loaded(early.encoder);
        assertEquals(BuiltinModels.EARLY_THREADS, model.threads());
        try (Embedder fromEarly = new Embedder(model, 8000, Embedder.Batching.NONE);
                Embedder later = new Embedder(BuiltinModels.EARLY_THREADS, 8000)) {
            String text = "a quiet walk along the river at dusk";
            double[] expected = later.embed(text);
            double[] actual = fromEarly.embed(text);
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], "dimension " + i); // the same session settings: bit for bit
            }
            assertEquals(Embedder.DIMENSION, BuiltinModels.loaded(early.table).with(fromEarly).embed(text).length);
        }
        try (ImageClassifier images = BuiltinModels.loaded(early.images)) {
            assertNotNull(images);
        }
    }
}
