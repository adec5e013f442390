package dev.meridian.moderation.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.meridian.common.client.UpstreamConfig;
import dev.meridian.common.config.Ranges;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * {@code meridian.moderation.*}: request limits, image fetching, built-in thresholds, upstream and events. A value out
 * of its range stops the service at start-up with a message that names the property ({@link Ranges}, {@link BatchTokens}).
 */
@ConfigMapping(prefix = "meridian.moderation")
public interface ModerationConfig {

    Limits limits();

    Images images();

    Builtin builtin();

    /** The {@code openai-compatible} engine's upstream (its read timeout is 30 s here: a moderation is quick). */
    UpstreamConfig upstream();

    Events events();

    Review review();

    interface Limits {
        /** Most strings, or multimodal parts, in one request. */
        @WithConverter(Ranges.Positive.class)
        int maxItems();

        /** Most characters of text in one request, all inputs together. */
        @WithConverter(Ranges.Positive.class)
        int maxCharacters();

        /** Most images in one request (0: none). */
        @WithConverter(Ranges.NonNegative.class)
        int maxImages();
    }

    interface Images {
        /** Largest image accepted, decoded or fetched. */
        @WithConverter(Ranges.Positive.class)
        int maxBytes();

        Duration fetchTimeout();

        /** Hosts that may be fetched even though they are private, loopback or plain http. */
        Optional<List<String>> allowedHosts();
    }

    interface Builtin {
        /** Flag threshold per category name. */
        Map<String, Double> thresholds();

        Embedding embedding();

        BuiltinImages images();
    }

    /** The built-in engine's image classifier (see {@code ImageClassifier}). */
    interface BuiltinImages {
        /** Off: images are checked but not classified, and {@code category_applied_input_types} never lists image. */
        @WithDefault("true")
        boolean enabled();

        /** Images with more pixels than this are not classified (decoding them would cost too much). */
        @WithDefault("40000000")
        long maxPixels();

        /**
         * An image flags {@code sexual} when its score reaches this. It is not the text threshold: the image model's
         * probabilities are its own, and abstract images reach 0.85 (see docs/benchmarks.md).
         */
        @WithDefault("0.9")
        double threshold();
    }

    /** The built-in engine's embedding stage (see {@code BuiltinClassifier}). */
    interface Embedding {
        /** Off leaves the lexical model alone: microseconds per text instead of milliseconds, and lower quality. */
        boolean enabled();

        /** ONNX Runtime threads per text. */
        @WithConverter(Ranges.Positive.class)
        int threads();

        /**
         * The most texts of concurrent requests embedded in one call of the model (one call reads the model's weights
         * once for all its texts); 1 embeds each text on its request's thread.
         */
        @WithConverter(Ranges.Positive.class)
        int batchSize();

        /** With a batch size above 1, how many batches run at once; by default one per core. */
        Optional<@WithConverter(Ranges.Positive.class) Integer> batchWorkers();

        /**
         * The most tokens one batch holds counting padding (texts × the longest text), so short texts are not padded to
         * a long one's length without bound; at least 512, the longest text.
         */
        @WithConverter(BatchTokens.class)
        int batchMaxTokens();

        /** Leading characters of a text that are embedded (the lexical model reads all of it). */
        @WithConverter(Ranges.Positive.class)
        int maxCharacters();

        /**
         * The engine {@code builtin} scores a text with the token embedding first and takes the sentence embedding only
         * when a category scores this or more there (0: always).
         */
        @WithConverter(Ranges.NonNegativeNumber.class)
        double escalation();
    }

    interface Events {
        boolean includeContent();
    }

    interface Review {
        /**
         * The built-in engine flags the prompt at the thresholds times this; the image, which nothing checked before,
         * at its own.
         */
        double strictness();

        /**
         * Which engine reviews. The review runs without a caller, so it has no token to ask the catalog with: it is
         * chosen here.
         */
        @WithDefault("builtin")
        ReviewEngine engine();

        /** The upstream's model when the openai-compatible engine reviews. */
        @WithDefault("omni-moderation-latest")
        String upstreamModel();
    }

    enum ReviewEngine {
        /** The built-in engine, at the stricter thresholds. */
        BUILTIN,
        /**
         * The openai-compatible engine's upstream, at its own thresholds, with the prompt and the image in one
         * multimodal input; when it fails, the built-in engine reviews instead.
         */
        OPENAI_COMPATIBLE
    }
}
