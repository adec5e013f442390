package dev.meridian.moderation.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The evaluation figures against values worked out by hand. */
class MetricsTest {

    @Test
    void averagePrecisionIsTheMeanPrecisionAtEachPositive() {
        // ranked: +, -, +, -  -> precision 1/1 at the first positive, 2/3 at the second
        assertEquals((1.0 + 2.0 / 3) / 2, Metrics.auprc(new double[] {0.9, 0.8, 0.7, 0.1},
                new boolean[] {true, false, true, false}), 1e-12);
        assertEquals(1.0, Metrics.auprc(new double[] {0.9, 0.2}, new boolean[] {true, false}), 1e-12);
        // a tie between a positive and a negative counts as one step: precision 1/2
        assertEquals(0.5, Metrics.auprc(new double[] {0.5, 0.5}, new boolean[] {true, false}), 1e-12);
    }

    @Test
    void precisionRecallAndF1AtAThreshold() {
        double[] prf = Metrics.prf(new double[] {0.9, 0.6, 0.4, 0.2}, new boolean[] {true, false, true, false}, 0.5);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, prf, 1e-12);
    }

    @Test
    void calibrationErrorIsTheWeightedGapPerBin() {
        // bin 0.9: scores 0.9, 0.9 with one positive -> gap 0.4 over 2 of 4 texts; bin 0.1: 0.1, 0.1 with none
        // -> gap 0.1 over 2 of 4
        assertEquals(0.4 * 0.5 + 0.1 * 0.5, Metrics.ece(new double[] {0.9, 0.9, 0.1, 0.1},
                new boolean[] {true, false, false, false}), 1e-12);
        assertEquals(0.0, Metrics.ece(new double[] {1.0, 0.0}, new boolean[] {true, false}), 1e-12);
    }
}
