package dev.meridian.moderation.builtin;

import java.util.stream.IntStream;

/**
 * Static token embeddings distilled from the {@link Embedder}'s model, in the manner of Model2Vec: every token of
 * the WordPiece vocabulary is run through the model once, alone, and its output state becomes that token's fixed
 * vector. A text's embedding is then the weighted mean of its tokens' vectors, normalised: a table lookup and a sum,
 * tens of microseconds for a short text instead of the model's milliseconds, at the cost of word order and context.
 * <p>
 * Each dimension is standardised over the vocabulary (without it, a direction that every token shares dominates
 * every mean). Tokens are weighted by the logarithm of their frequency rank, so that the commonest words count
 * least: BERT's vocabulary lists its words, from {@code the} at id 1996, in order of descending frequency, after the
 * single characters (from id 999), which weigh least; the ids below 999 ({@code [PAD]}, {@code [unused…]},
 * {@code [UNK]}, {@code [CLS]}, {@code [SEP]}, {@code [MASK]}) weigh nothing.
 * <p>
 * The table is computed when the engine starts (about 6 s of CPU on this model, on all cores) rather than shipped, so
 * it always matches the model it was distilled from; it takes 47 MB of heap. Thread-safe.
 */
public final class TokenEmbedder {

    private static final int FIRST_CHARACTER = 999;
    private static final int FIRST_WORD = 1996;
    private static final int BATCH = 512;

    private final Embedder embedder;
    private final float[] table;
    private final float[] weights;

    private TokenEmbedder(Embedder embedder, float[] table, float[] weights) {
        this.embedder = embedder;
        this.table = table;
        this.weights = weights;
    }

    /** Runs every token of {@code embedder}'s vocabulary through its model and keeps the standardised states. */
    public static TokenEmbedder distil(Embedder embedder) {
        int size = embedder.vocabularySize();
        int d = Embedder.DIMENSION;
        float[] table = new float[size * d];
        IntStream.range(0, (size + BATCH - 1) / BATCH).parallel().forEach(b -> {
            int first = b * BATCH;
            int count = Math.min(BATCH, size - first);
            System.arraycopy(embedder.contextFreeStates(first, count), 0, table, first * d, count * d);
        });
        double[] mean = new double[d];
        double[] square = new double[d];
        for (int id = FIRST_CHARACTER; id < size; id++) {
            for (int k = 0; k < d; k++) {
                double v = table[id * d + k];
                mean[k] += v;
                square[k] += v * v;
            }
        }
        int n = size - FIRST_CHARACTER;
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
            square[k] = Math.sqrt(Math.max(square[k] / n - mean[k] * mean[k], 1e-12));
        }
        float[] weights = new float[size];
        for (int id = 0; id < size; id++) {
            for (int k = 0; k < d; k++) {
                table[id * d + k] = (float) ((table[id * d + k] - mean[k]) / square[k]);
            }
            weights[id] = (float) weight(id);
        }
        return new TokenEmbedder(embedder, table, weights);
    }

    /** Log of the token's frequency rank (single characters rank as the commonest words); 0 for special tokens. */
    static double weight(int id) {
        if (id < FIRST_CHARACTER) {
            return 0;
        }
        return Math.log(Math.max(2, id - FIRST_WORD + 6));
    }

    /**
     * The text's embedding, a unit vector of {@link Embedder#DIMENSION} numbers; {@code null} when it has no token
     * that weighs anything (no text, or only unknown tokens). Reads the same leading characters as the
     * {@link Embedder}.
     */
    public double[] embed(String text) {
        int d = Embedder.DIMENSION;
        double[] v = new double[d];
        boolean any = false;
        for (long token : embedder.tokenIds(text)) {
            int id = (int) token;
            float w = weights[id];
            if (w == 0) {
                continue;
            }
            any = true;
            int row = id * d;
            for (int k = 0; k < d; k++) {
                v[k] += w * table[row + k];
            }
        }
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        if (!any || norm == 0) {
            return null;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < d; k++) {
            v[k] /= norm;
        }
        return v;
    }
}
