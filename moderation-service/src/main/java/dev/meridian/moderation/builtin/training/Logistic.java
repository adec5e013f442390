package dev.meridian.moderation.builtin.training;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares).
 * The intercept is not penalised. Small and exact: the problems here have tens of features and hundreds of rows.
 */
public final class Logistic {

    private Logistic() {
    }

    /** Weights with the intercept first. */
    public static double[] fit(double[][] x, boolean[] y, double lambda) {
        int d = x[0].length + 1;
        double[] w = new double[d];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] grad = new double[d];
            double[][] hess = new double[d][d];
            for (int i = 0; i < x.length; i++) {
                double[] xi = withIntercept(x[i]);
                double p = sigmoid(dot(w, xi));
                double r = p - (y[i] ? 1 : 0);
                double s = Math.max(p * (1 - p), 1e-9);
                for (int a = 0; a < d; a++) {
                    grad[a] += r * xi[a];
                    if (xi[a] != 0) {
                        for (int b = 0; b < d; b++) {
                            hess[a][b] += s * xi[a] * xi[b];
                        }
                    }
                }
            }
            for (int a = 1; a < d; a++) {
                grad[a] += lambda * w[a];
                hess[a][a] += lambda;
            }
            hess[0][0] += 1e-6;
            double[] step = solve(hess, grad);
            double change = 0;
            for (int a = 0; a < d; a++) {
                w[a] -= step[a];
                change = Math.max(change, Math.abs(step[a]));
            }
            if (change < 1e-7) {
                break;
            }
        }
        return w;
    }

    static double[] withIntercept(double[] x) {
        double[] xi = new double[x.length + 1];
        xi[0] = 1;
        System.arraycopy(x, 0, xi, 1, x.length);
        return xi;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Solves {@code a·x = b} by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
