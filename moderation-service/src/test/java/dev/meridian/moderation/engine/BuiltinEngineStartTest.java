package dev.meridian.moderation.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.meridian.moderation.config.ModerationConfigTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The engine's start after a production start loaded the models early ({@link BuiltinModels}, with the shipped
 * configuration's settings): it takes them when the configuration matches, and honours a configuration that does not
 * (more encoder threads, a model switched off) by closing what it does not use and loading what it needs.
 */
class BuiltinEngineStartTest {

    @Test
    void theModelsLoadedEarlyServeTheShippedConfiguration() throws Exception {
        BuiltinEngine engine = startedAfterEarlyLoading(Map.of());
        try {
            assertEquals(BuiltinModels.EARLY_THREADS, engine.embedder().threads());
            assertTrue(engine.judgesImages());
        } finally {
            engine.close();
        }
    }

    @Test
    void moreEncoderThreadsAndImagesOffAreHonoured() throws Exception {
        BuiltinEngine engine = startedAfterEarlyLoading(Map.of("meridian.moderation.builtin.embedding.threads", "2",
                "meridian.moderation.builtin.images.enabled", "false"));
        try {
            assertEquals(2, engine.embedder().threads(), "the early encoder (1 thread) was replaced");
            assertFalse(engine.judgesImages(), "the early image model was not kept");
        } finally {
            engine.close();
        }
    }

    @Test
    void theSentenceEmbeddingSwitchedOffIsNotKept() throws Exception {
        BuiltinEngine engine = startedAfterEarlyLoading(Map.of("meridian.moderation.builtin.embedding.enabled", "false"));
        try {
            assertNull(engine.embedder());
            assertTrue(engine.judgesImages());
        } finally {
            engine.close();
        }
    }

    /** Loads the models early, as ModerationMain does, then starts the engine with the configuration given. */
    private static BuiltinEngine startedAfterEarlyLoading(Map<String, String> overrides) throws Exception {
        assertNull(BuiltinModels.takeEarly(), "nothing loaded early before the test");
        BuiltinModels.loadEarly();
        BuiltinEngine engine = new BuiltinEngine();
        engine.config = ModerationConfigTest.load(overrides);
        engine.registry = new SimpleMeterRegistry();
        engine.load();
        assertNull(BuiltinModels.takeEarly(), "the engine took what was loaded early");
        return engine;
    }
}
