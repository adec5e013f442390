package dev.meridian.moderation.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LogisticTest {

    @Test
    void theKernelFitIsTheMinimumOfItsPenalisedLoss() {
        // 60 points on a line, labelled by a noisy threshold; a Gaussian kernel over them
        Random random = new Random(11);
        int n = 60;
        double[] x = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble() * 4 - 2;
            y[i] = x[i] + random.nextGaussian() * 0.7 > 0.3;
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] = Math.exp(-(x[i] - x[j]) * (x[i] - x[j]));
            }
        }
        double lambda = 0.05;
        double[] model = Logistic.fitKernel(k, y, lambda);
        assertEquals(n + 1, model.length);
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += model[i];
        }
        assertEquals(sum, model[0], 1e-12);
        // the gradient (K + 1)(p - y + lambda a) is zero at the minimum, so with K + 1 invertible p - y + lambda a is
        for (int i = 0; i < n; i++) {
            double f = model[0];
            for (int j = 0; j < n; j++) {
                f += model[j + 1] * k[i][j];
            }
            double p = 1 / (1 + Math.exp(-f));
            assertEquals(0, p - (y[i] ? 1 : 0) + lambda * model[i + 1], 1e-6, "row " + i);
        }
        // and it ranks the points as the threshold does, but for the noise
        int agree = 0;
        for (int i = 0; i < n; i++) {
            double f = model[0];
            for (int j = 0; j < n; j++) {
                f += model[j + 1] * k[i][j];
            }
            agree += (f > 0) == (x[i] > 0.3) ? 1 : 0;
        }
        assertTrue(agree >= 50, agree + " of 60");
    }

    @Test
    void choleskySolvesASymmetricPositiveDefiniteSystem() {
        double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
        double[] b = {1, -2, 0.5};
        double[][] lower = {{4, 0, 0}, {2, 5, 0}, {0.4, 1, 3}};
        double[] x = Logistic.choleskySolve(lower, b);
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += a[i][j] * x[j];
            }
            assertEquals(b[i], s, 1e-12);
        }
    }
}
