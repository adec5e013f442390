package dev.meridian.moderation.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.ImageClassifier;
import dev.meridian.moderation.builtin.TokenEmbedder;
import dev.meridian.moderation.config.ModerationConfig;

/**
 * The built-in engine: {@link BuiltinClassifier}'s cascade on the text (the token embedding, then the sentence
 * embedding for text that reaches {@code meridian.moderation.builtin.embedding.escalation} in some category; the
 * lexical model alone if {@code meridian.moderation.builtin.embedding.enabled} is false), flags at the configured
 * thresholds. It also holds
 * the classifiers that {@link FastEngine} uses, since both share the models.
 * <p>
 * Images are judged for {@code sexual} only, by the {@link ImageClassifier} (unless
 * {@code meridian.moderation.builtin.images.enabled} is false): an input's {@code sexual} score is the highest of its
 * text's and its images', and {@code category_applied_input_types} lists {@code image} for {@code sexual} when at
 * least one of its images was classified. It flags when the text's score reaches the category's threshold or an
 * image's reaches {@code meridian.moderation.builtin.images.threshold}, the image model's own. PNG, JPEG, GIF and
 * WebP images are classified; images over {@code meridian.moderation.builtin.images.max-pixels} are validated but not
 * judged, and so is an image whose header passed the checks but whose data cannot be decoded (logged). The other
 * categories read text alone, so an input made only of images scores zero with no applied input types in all of them.
 */
@Startup
@ApplicationScoped
public class BuiltinEngine implements ModerationEngine {

    public static final String NAME = "builtin";

    @Inject
    ModerationConfig config;

    @Inject
    MeterRegistry registry;

    private static final Logger LOG = Logger.getLogger(BuiltinEngine.class);

    /** The one category the image classifier judges. */
    static final String IMAGE_CATEGORY = "sexual";

    private Embedder embedder;
    private BuiltinClassifier classifier;
    private ImageClassifier images;
    private Counter texts;
    private Counter fastTexts;

    /**
     * Loads the models and the token embedding; {@link Startup} makes that happen at start-up, so no request pays for
     * it. A production start has been loading them since the JVM started ({@link BuiltinModels}); otherwise the token
     * table and the image model load on another thread while this one loads the encoder.
     */
    @PostConstruct
    void load() {
        BuiltinModels early = BuiltinModels.takeEarly();
        ExecutorService loader = Executors.newSingleThreadExecutor(task -> new Thread(task, "builtin-models-loader"));
        try {
            ModerationConfig.Embedding e = config.builtin().embedding();
            boolean imagesOn = config.builtin().images().enabled();
            if (early != null && !e.enabled()) {
                BuiltinModels.discard(early.encoder);
            }
            if (early != null && !imagesOn) {
                BuiltinModels.discard(early.images);
            }
            Future<TokenEmbedder.Table> table = !e.enabled() ? null
                    : early != null ? early.table : loader.submit(TokenEmbedder::read);
            Future<ImageClassifier> imageModel = !imagesOn ? null
                    : early != null ? early.images : loader.submit(ImageClassifier::new);
            Embedder.Model model = null;
            if (e.enabled()) {
                model = early != null ? BuiltinModels.loaded(early.encoder) : null;
                if (model != null && model.threads() != e.threads()) {
                    model.close();
                    model = null;
                }
                model = model != null ? model : Embedder.Model.load(e.threads());
            }
            embedder = model == null ? null : new Embedder(model, e.maxCharacters(), new Embedder.Batching(e.batchSize(),
                    e.batchWorkers().orElse(Runtime.getRuntime().availableProcessors()), e.batchMaxTokens()));
            classifier = new BuiltinClassifier(embedder,
                    embedder == null ? null : BuiltinModels.loaded(table).with(embedder));
            images = imageModel == null ? null : BuiltinModels.loaded(imageModel);
        } finally {
            loader.shutdownNow();
        }
        texts = texts(NAME);
        fastTexts = texts(FastEngine.NAME);
        if (embedder != null) {
            meters(embedder);
        }
    }

    private Counter texts(String engine) {
        return Counter.builder("meridian.moderation.texts").tag("engine", engine)
                .description("Texts of moderation requests classified by the engine").register(registry);
    }

    /**
     * The sentence embedding's meters: the share of texts that reach it (against {@code meridian.moderation.texts})
     * and the texts per call (batching) are what its capacity turns on.
     */
    private void meters(Embedder embedder) {
        FunctionCounter.builder("meridian.moderation.embedding.texts", embedder, e -> e.usage().texts())
                .description("Texts the sentence embedding has read, of requests (those the cascade sent on) and of"
                        + " generated-image reviews")
                .register(registry);
        FunctionTimer.builder("meridian.moderation.embedding.calls", embedder, e -> e.usage().calls(),
                        e -> e.usage().nanos(), TimeUnit.NANOSECONDS)
                .description("Calls of the sentence embedding model, one per batch of texts, and their time")
                .register(registry);
        Gauge.builder("meridian.moderation.embedding.waiting", embedder, e -> e.usage().waiting())
                .description("Texts waiting for a sentence embedding worker")
                .register(registry);
    }

    /** The sentence embedding as loaded (null when it is switched off), for tests. */
    Embedder embedder() {
        return embedder;
    }

    /** Whether images are judged (the image model is loaded), for tests. */
    boolean judgesImages() {
        return images != null;
    }

    @PreDestroy
    void close() {
        if (embedder != null) {
            embedder.close();
        }
        if (images != null) {
            images.close();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, ModerationBatch request) {
        // the texts of one request go through the cascade together, so those it sends on share a call of the model
        double escalation = config.builtin().embedding().escalation();
        return moderate(texts -> {
            this.texts.increment(texts.size());
            return classifier.cascadeScores(texts, escalation);
        }, taxonomy, request);
    }

    /** What {@link FastEngine} answers: the lexical model with the token embedding. */
    List<ModerationResponse.Result> moderateFast(Taxonomy taxonomy, ModerationBatch request) {
        return moderate(texts -> {
            fastTexts.increment(texts.size());
            return texts.stream().map(classifier::fastScores).toList();
        }, taxonomy, request);
    }

    /** One result per input, from the scores of the inputs' texts ({@code scores} gets them all at once). */
    private List<ModerationResponse.Result> moderate(Function<List<String>, List<Map<String, Double>>> scores,
            Taxonomy taxonomy, ModerationBatch request) {
        Iterator<Map<String, Double>> textScores = scores.apply(request.inputs().stream()
                .filter(ModerationInput::hasText).map(ModerationInput::text).toList()).iterator();
        List<ModerationResponse.Result> results = new ArrayList<>(request.inputs().size());
        for (ModerationInput input : request.inputs()) {
            results.add(result(taxonomy, input.hasText() ? textScores.next() : Map.of(), sexualInImages(input), 1.0));
        }
        return results;
    }

    /** The highest {@link #IMAGE_CATEGORY} score of the input's images, empty if none was classified. */
    private OptionalDouble sexualInImages(ModerationInput input) {
        OptionalDouble highest = OptionalDouble.empty();
        for (ModerationInput.Image image : input.images()) {
            OptionalDouble score = sexualInImage(image.bytes(), "at " + image.param());
            if (score.isPresent()) {
                highest = OptionalDouble.of(Math.max(score.getAsDouble(), highest.orElse(0)));
            }
        }
        return highest;
    }

    /** The image's {@link #IMAGE_CATEGORY} score, empty if it is not judged; {@code name} says which in the log. */
    private OptionalDouble sexualInImage(byte[] bytes, String name) {
        if (images == null) {
            return OptionalDouble.empty();
        }
        BufferedImage decoded;
        try {
            decoded = ImageClassifier.decode(bytes, config.builtin().images().maxPixels());
        } catch (IOException e) {
            // its header passed the checks of ImageInputs, so the request stands; the image is not judged
            LOG.infof("Image %s not judged: %s", name, e.toString());
            return OptionalDouble.empty();
        }
        return decoded == null ? OptionalDouble.empty() : OptionalDouble.of(images.sexual(decoded));
    }

    /**
     * The review of a generated image: its prompt (null for a variation) flags at the thresholds times
     * {@code strictness} (below 1 flags more), its image (null if it could not be had) at the image threshold, since
     * nothing judged the image before.
     */
    public ModerationResponse.Result review(String prompt, byte[] image, String imageId, double strictness) {
        return result(Taxonomy.OMNI, prompt == null ? Map.of() : classifier.scores(prompt),
                image == null ? OptionalDouble.empty() : sexualInImage(image, imageId), strictness);
    }

    private ModerationResponse.Result result(Taxonomy taxonomy, Map<String, Double> textScores,
            OptionalDouble imageScore, double strictness) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, List<String>> applied = new LinkedHashMap<>();
        boolean any = false;
        for (String category : Taxonomy.ALL) {
            Double text = taxonomy.has(category) ? textScores.get(category) : null;
            boolean image = taxonomy.has(category) && category.equals(IMAGE_CATEGORY) && imageScore.isPresent();
            List<String> types = new ArrayList<>(2);
            if (text != null) {
                types.add("text");
            }
            if (image) {
                types.add("image");
            }
            double value = Math.max(text == null ? 0.0 : text, image ? imageScore.getAsDouble() : 0.0);
            Boolean flagged = taxonomy.has(category)
                    ? text != null && text >= threshold(category) * strictness
                            || image && imageScore.getAsDouble() >= config.builtin().images().threshold()
                    : null;
            any |= Boolean.TRUE.equals(flagged);
            flags.put(category, flagged);
            out.put(category, value);
            applied.put(category, List.copyOf(types));
        }
        return new ModerationResponse.Result(any, flags, out, applied);
    }

    private double threshold(String category) {
        Double t = config.builtin().thresholds().get(category);
        if (t == null) {
            throw new IllegalStateException("meridian.moderation.builtin.thresholds.\"" + category + "\" is not set");
        }
        return t;
    }
}
