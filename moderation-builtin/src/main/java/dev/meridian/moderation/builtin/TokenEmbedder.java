package dev.meridian.moderation.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The table is distilled when this library is built ({@link BuildArtifacts}, run by the build after compiling: about 6 s
 * of CPU), shipped as {@value #TABLE} and {@link #load loaded} by the engines, so a service starts without running the
 * model 30,000 times; a test checks that the shipped table is what {@link #distil} computes from the model. It takes
 * 47 MB of heap. Thread-safe.
 */
public final class TokenEmbedder {

    private static final int FIRST_CHARACTER = 999;
    private static final int FIRST_WORD = 1996;
    private static final int BATCH = 512;

    /** The distilled table as the build writes it: a header, then the vectors and the weights. */
    public static final String TABLE = "/builtin/token-table.bin";

    /** "MTT1": Meridian token table, version 1; then the vocabulary size and the dimension, all little-endian. */
    private static final int MAGIC = 0x3154544d;

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

    /** The table the build distilled ({@value #TABLE}), reading texts with {@code embedder}'s tokenizer. */
    public static TokenEmbedder load(Embedder embedder) {
        return read().with(embedder);
    }

    /**
     * The table the build distilled ({@value #TABLE}), read without an embedder, so that a service can read it while
     * the embedder loads; {@link Table#with} joins the two.
     */
    public static Table read() {
        try (InputStream in = BuildArtifacts.resource(TABLE)) {
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int magic = bytes.getInt();
            int size = bytes.getInt();
            if (magic != MAGIC || bytes.getInt() != Embedder.DIMENSION) {
                throw new IllegalStateException(TABLE + " is not a token table of this version: build"
                        + " moderation-builtin again");
            }
            float[] table = new float[size * Embedder.DIMENSION];
            float[] weights = new float[size];
            bytes.asFloatBuffer().get(table).get(weights);
            return new Table(table, weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A distilled table as {@link #read} reads it, not yet joined to the embedder whose tokenizer reads texts. */
    public static final class Table {

        private final float[] vectors;
        private final float[] weights;

        private Table(float[] vectors, float[] weights) {
            this.vectors = vectors;
            this.weights = weights;
        }

        /** The token embedding over this table, reading texts with {@code embedder}'s tokenizer. */
        public TokenEmbedder with(Embedder embedder) {
            if (weights.length != embedder.vocabularySize()) {
                throw new IllegalStateException(TABLE + " was not distilled from this model: build moderation-builtin"
                        + " again");
            }
            return new TokenEmbedder(embedder, vectors, weights);
        }
    }

    /** The table in the form {@link #load} reads. */
    void write(OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(12 + 4 * (table.length + weights.length)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(MAGIC).putInt(weights.length).putInt(Embedder.DIMENSION);
        bytes.asFloatBuffer().put(table).put(weights);
        out.write(bytes.array());
    }

    float[] table() {
        return table;
    }

    float[] weights() {
        return weights;
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
