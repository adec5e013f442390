package dev.meridian.moderation.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.ImageClassifier;
import dev.meridian.moderation.builtin.TokenEmbedder;

/**
 * The built-in models, loading. A production start ({@code ModerationMain}) begins reading them when the JVM starts,
 * on two threads of their own, so that they load on one core while Quarkus boots on the other (Hibernate, Flyway, the
 * realm's discovery, Kafka), and {@link BuiltinEngine} takes them at start-up. They are what the shipped configuration
 * uses: the encoder with one ONNX Runtime thread, the token table, the image model. Where the configuration asks for
 * something else (more threads, a model switched off), the engine closes what it does not use and loads what it
 * needs itself, as it does when nothing was loaded early (the tests, which do not start through main).
 */
public final class BuiltinModels {

    /** The encoder's ONNX Runtime threads for one call, as {@code meridian.moderation.builtin.embedding.threads} ships. */
    static final int EARLY_THREADS = 1;

    private static final Logger LOG = Logger.getLogger(BuiltinModels.class);
    private static final AtomicReference<BuiltinModels> EARLY = new AtomicReference<>();

    final Future<Embedder.Model> encoder;
    final Future<TokenEmbedder.Table> table;
    final Future<ImageClassifier> images;

    private BuiltinModels(Future<Embedder.Model> encoder, Future<TokenEmbedder.Table> table,
            Future<ImageClassifier> images) {
        this.encoder = encoder;
        this.table = table;
        this.images = images;
    }

    /** Starts loading every built-in model in the background, once; {@link #takeEarly} hands them over. */
    public static void loadEarly() {
        ExecutorService encoderLoader = Executors.newSingleThreadExecutor(task -> daemon(task, "builtin-encoder-loader"));
        ExecutorService loader = Executors.newSingleThreadExecutor(task -> daemon(task, "builtin-models-loader"));
        EARLY.compareAndSet(null, new BuiltinModels(encoderLoader.submit(() -> Embedder.Model.load(EARLY_THREADS)),
                loader.submit(TokenEmbedder::read), loader.submit(ImageClassifier::new)));
        encoderLoader.shutdown(); // each thread ends once its models are loaded
        loader.shutdown();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The models loading since the JVM started, or null if none were (then or already taken). */
    static BuiltinModels takeEarly() {
        return EARLY.getAndSet(null);
    }

    /** The value of a load, its failure thrown on this thread as if the load had run here. */
    static <T> T loaded(Future<T> loading) {
        try {
            return loading.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Error error) {
                throw error; // a native library that would not load, say
            }
            throw failed.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the built-in models loaded", interrupted);
        }
    }

    /** Frees a model loaded early that the configuration does not use (its native session, above all). */
    static void discard(Future<? extends AutoCloseable> loading) {
        try {
            loaded(loading).close();
        } catch (Exception e) {
            // it failed to load or to close: the configuration does not use it, so this start goes on
            LOG.debugf("A built-in model loaded early and not used could not be freed: %s", e.toString());
        }
    }
}
