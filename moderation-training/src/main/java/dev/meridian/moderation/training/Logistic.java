package dev.meridian.moderation.training;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares).
 * The intercept is not penalised. Small and exact: the problems here have tens of features and hundreds of rows.
 * Also its kernel form, {@link #fitKernel}.
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

    /**
     * Kernel logistic regression: given the Gram matrix {@code k} of the rows (symmetric, positive semi-definite),
     * the weights {@code a} of {@code f(x) = Σ a[j] · (k(x, row j) + 1)}, which minimise the logistic loss plus
     * {@code lambda/2 · aᵀ(K + 1)a} (the constant kernel 1 is the intercept, penalised as the rest). Returned as a
     * linear model over the similarities to the rows: the intercept {@code Σ a[j]} first, then {@code a}. Newton's
     * method, each step solved in the symmetric form {@code (D½(K+1)D½ + λI)} by Cholesky, D the logistic weights.
     */
    public static double[] fitKernel(double[][] k, boolean[] y, double lambda) {
        int n = y.length;
        double[] a = new double[n];
        double[][] m = new double[n][n];
        for (int iteration = 0; iteration < 30; iteration++) {
            double[] root = new double[n];
            double[] rhs = new double[n];
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int j = 0; j < n; j++) {
                    f += (k[i][j] + 1) * a[j];
                }
                double p = sigmoid(f);
                root[i] = Math.sqrt(Math.max(p * (1 - p), 1e-9));
                rhs[i] = (p - (y[i] ? 1 : 0) + lambda * a[i]) / root[i];
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    m[i][j] = root[i] * (k[i][j] + 1) * root[j] + (i == j ? lambda : 0);
                }
            }
            double[] step = choleskySolve(m, rhs);
            double change = 0;
            for (int i = 0; i < n; i++) {
                double d = root[i] * step[i];
                a[i] -= d;
                change = Math.max(change, Math.abs(d));
            }
            if (change < 1e-6) {
                break;
            }
        }
        double[] model = new double[n + 1];
        for (int i = 0; i < n; i++) {
            model[0] += a[i];
            model[i + 1] = a[i];
        }
        return model;
    }

    /** Solves {@code m·x = b} for a symmetric positive-definite {@code m} given by its lower triangle, which it overwrites. */
    static double[] choleskySolve(double[][] m, double[] b) {
        int n = b.length;
        for (int j = 0; j < n; j++) {
            double[] rj = m[j];
            double d = rj[j];
            for (int c = 0; c < j; c++) {
                d -= rj[c] * rj[c];
            }
            d = Math.sqrt(d);
            rj[j] = d;
            for (int i = j + 1; i < n; i++) {
                double[] ri = m[i];
                double s = ri[j];
                for (int c = 0; c < j; c++) {
                    s -= ri[c] * rj[c];
                }
                ri[j] = s / d;
            }
        }
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int c = 0; c < i; c++) {
                s -= m[i][c] * z[c];
            }
            z[i] = s / m[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int r = i + 1; r < n; r++) {
                s -= m[r][i] * x[r];
            }
            x[i] = s / m[i][i];
        }
        return x;
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
