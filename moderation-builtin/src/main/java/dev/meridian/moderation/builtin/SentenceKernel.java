package dev.meridian.moderation.builtin;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What the sentence-embedding models read instead of the embedding itself: the text's similarity to each of a set of
 * anchor texts, {@code k(x, a) = exp(gamma · (x·a − 1))} for unit vectors (a Gaussian kernel on the sphere). A
 * logistic regression over these similarities is a kernel logistic regression, whose decision can bend where a
 * hyperplane through the embedding cannot: with the same 692 labelled texts it ranks them better than a linear model
 * of the embedding (see docs/benchmarks.md). The anchors are the sentence embeddings of the texts the models were fitted on,
 * written by moderation-training's {@code Train} to {@code builtin/sentence-anchors.bin} as
 * big-endian 32-bit floats, {@link Embedder#DIMENSION} per anchor.
 */
public final class SentenceKernel {

    /** Held as doubles: the similarities are computed in double, and a float would be widened at every step. */
    private final double[] anchors;
    private final int count;
    private final double gamma;

    private SentenceKernel(double[] anchors, double gamma) {
        if (anchors.length % Embedder.DIMENSION != 0 || gamma <= 0) {
            throw new IllegalArgumentException("anchors must hold whole embeddings and gamma must be positive");
        }
        this.anchors = anchors;
        this.count = anchors.length / Embedder.DIMENSION;
        this.gamma = gamma;
    }

    /** A kernel over these embeddings as anchors. */
    public static SentenceKernel of(List<double[]> embeddings, double gamma) {
        double[] anchors = new double[embeddings.size() * Embedder.DIMENSION];
        for (int i = 0; i < embeddings.size(); i++) {
            double[] e = embeddings.get(i);
            for (int d = 0; d < Embedder.DIMENSION; d++) {
                // as written and read back: the model is fitted on the anchors it will be used with
                anchors[i * Embedder.DIMENSION + d] = (float) e[d];
            }
        }
        return new SentenceKernel(anchors, gamma);
    }

    /** Reads {@code count} anchors as {@link #write} wrote them. */
    public static SentenceKernel read(InputStream in, int count, double gamma) throws IOException {
        double[] anchors = new double[count * Embedder.DIMENSION];
        DataInputStream data = new DataInputStream(new BufferedInputStream(in));
        for (int i = 0; i < anchors.length; i++) {
            anchors[i] = data.readFloat();
        }
        if (data.read() != -1) {
            throw new IOException("more than " + count + " anchors");
        }
        return new SentenceKernel(anchors, gamma);
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
        for (double a : anchors) {
            data.writeFloat((float) a);
        }
        data.flush();
    }

    public int count() {
        return count;
    }

    public double gamma() {
        return gamma;
    }

    /** The similarity of a unit vector to each anchor, in anchor order. */
    public double[] features(double[] embedding) {
        double[] k = new double[count];
        int dimension = Embedder.DIMENSION;
        int j = 0;
        // four anchors at a time: four independent sums, each element of the embedding read once for the four
        for (; j + 4 <= count; j += 4) {
            int a0 = j * dimension;
            int a1 = a0 + dimension;
            int a2 = a1 + dimension;
            int a3 = a2 + dimension;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int d = 0; d < dimension; d++) {
                double x = embedding[d];
                s0 += x * anchors[a0 + d];
                s1 += x * anchors[a1 + d];
                s2 += x * anchors[a2 + d];
                s3 += x * anchors[a3 + d];
            }
            k[j] = Math.exp(gamma * (s0 - 1));
            k[j + 1] = Math.exp(gamma * (s1 - 1));
            k[j + 2] = Math.exp(gamma * (s2 - 1));
            k[j + 3] = Math.exp(gamma * (s3 - 1));
        }
        for (; j < count; j++) {
            k[j] = kernel(embedding, anchors, j * dimension);
        }
        return k;
    }

    /** The similarity of anchor {@code i} to anchor {@code j}. */
    public double between(int i, int j) {
        double dot = 0;
        int a = i * Embedder.DIMENSION;
        int b = j * Embedder.DIMENSION;
        for (int d = 0; d < Embedder.DIMENSION; d++) {
            dot += anchors[a + d] * anchors[b + d];
        }
        return Math.exp(gamma * (dot - 1));
    }

    private double kernel(double[] x, double[] anchors, int offset) {
        double dot = 0;
        for (int d = 0; d < Embedder.DIMENSION; d++) {
            dot += x[d] * anchors[offset + d];
        }
        return Math.exp(gamma * (dot - 1));
    }
}
