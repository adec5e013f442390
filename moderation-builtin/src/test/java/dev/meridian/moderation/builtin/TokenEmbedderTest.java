package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TokenEmbedderTest {

    @Test
    void theShippedTableIsWhatTheModelDistilsTo() {
        try (Embedder embedder = new Embedder(1, 200)) {
            TokenEmbedder shipped = TokenEmbedder.load(embedder);
            TokenEmbedder distilled = TokenEmbedder.distil(embedder);
            assertArrayEquals(distilled.weights(), shipped.weights());
            assertArrayEquals(distilled.table(), shipped.table());
            assertArrayEquals(distilled.embed("a lighthouse at dusk"), shipped.embed("a lighthouse at dusk"));
        }
    }
}
