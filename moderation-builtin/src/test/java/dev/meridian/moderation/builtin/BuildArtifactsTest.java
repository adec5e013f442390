package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

/** The graphs the build wrote are what the engines would compute from the shipped models (the table: TokenEmbedderTest). */
class BuildArtifactsTest {

    @Test
    void theShippedEncoderIsLangChain4jsModelWithFixedScales() throws IOException {
        assertArrayEquals(Embedder.fixedScalesModel(), shipped(Embedder.FIXED_SCALES_MODEL));
    }

    @Test
    void theShippedImageGraphIsTheConversionOfNsfwjssModel() throws IOException {
        assertArrayEquals(ImageClassifier.convertedModel(), shipped(ImageClassifier.GRAPH));
    }

    private static byte[] shipped(String resource) throws IOException {
        try (InputStream in = BuildArtifacts.resource(resource)) {
            return in.readAllBytes();
        }
    }
}
