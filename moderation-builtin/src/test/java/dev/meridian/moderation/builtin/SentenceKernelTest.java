package dev.meridian.moderation.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SentenceKernelTest {

    private static double[] unit(Random random) {
        double[] v = new double[Embedder.DIMENSION];
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = random.nextGaussian();
            norm += v[d] * v[d];
        }
        for (int d = 0; d < v.length; d++) {
            v[d] /= Math.sqrt(norm);
        }
        return v;
    }

    @Test
    void theFeaturesAreEachAnchorsGaussianSimilarityAndAnAnchorIsOneToItself() {
        Random random = new Random(3);
        List<double[]> anchors = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // not a multiple of four: the blocked loop and its remainder
            anchors.add(unit(random));
        }
        SentenceKernel kernel = SentenceKernel.of(anchors, 3);
        double[] x = unit(random);
        double[] k = kernel.features(x);
        assertEquals(7, k.length);
        for (int j = 0; j < 7; j++) {
            double dot = 0;
            for (int d = 0; d < Embedder.DIMENSION; d++) {
                dot += x[d] * (float) anchors.get(j)[d];
            }
            assertEquals(Math.exp(3 * (dot - 1)), k[j], 1e-12);
            assertEquals(1.0, kernel.features(anchors.get(j))[j], 1e-6);
            assertEquals(kernel.between(j, 2), kernel.between(2, j), 0);
        }
        assertEquals(1.0, kernel.between(4, 4), 1e-6);
    }

    @Test
    void anchorsSurviveWritingAndReadingBitForBit() throws IOException {
        Random random = new Random(5);
        List<double[]> anchors = List.of(unit(random), unit(random), unit(random));
        SentenceKernel kernel = SentenceKernel.of(anchors, 2.5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kernel.write(out);
        assertEquals(3 * Embedder.DIMENSION * 4, out.size());
        SentenceKernel read = SentenceKernel.read(new ByteArrayInputStream(out.toByteArray()), 3, 2.5);
        double[] x = unit(random);
        assertArrayEquals(kernel.features(x), read.features(x), 0);
        assertThrows(IOException.class, () -> SentenceKernel.read(new ByteArrayInputStream(out.toByteArray()), 2, 2.5));
        assertThrows(IOException.class, () -> SentenceKernel.read(new ByteArrayInputStream(out.toByteArray()), 4, 2.5));
    }
}
