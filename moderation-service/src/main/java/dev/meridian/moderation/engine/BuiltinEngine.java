package dev.meridian.moderation.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.ImageClassifier;
import dev.meridian.moderation.builtin.TokenEmbedder;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.service.ModerationInput;
import dev.meridian.moderation.service.RequestParser;
import dev.meridian.moderation.service.Taxonomy;

/**
 * The built-in engine: {@link BuiltinClassifier} on the text (with its sentence embedding unless
 * {@code meridian.moderation.builtin.embedding.enabled} is false), flags at the configured thresholds. It also holds
 * the classifiers that {@link FastEngine} uses, since both share the models.
 * <p>
 * Images are judged for {@code sexual} only, by the {@link ImageClassifier} (unless
 * {@code meridian.moderation.builtin.images.enabled} is false): an input's {@code sexual} score is the highest of its
 * text's and its images', and {@code category_applied_input_types} lists {@code image} for {@code sexual} when at
 * least one of its images was classified. PNG, JPEG and GIF images are; WebP images (the JDK cannot decode them) and
 * images over {@code meridian.moderation.builtin.images.max-pixels} are validated but not judged, and so is an image
 * whose header passed the checks but whose data the JDK cannot decode (logged). The other categories
 * read text alone, so an input made only of images scores zero with no applied input types in all of them.
 */
@Startup
@ApplicationScoped
public class BuiltinEngine implements ModerationEngine {

    public static final String NAME = "builtin";

    @Inject
    ModerationConfig config;

    private static final Logger LOG = Logger.getLogger(BuiltinEngine.class);

    /** The one category the image classifier judges. */
    static final String IMAGE_CATEGORY = "sexual";

    private Embedder embedder;
    private BuiltinClassifier classifier;
    private ImageClassifier images;

    /**
     * Loads the models and distils the token embedding; {@link Startup} makes that happen at start-up, so no request
     * pays for it.
     */
    @PostConstruct
    void load() {
        ModerationConfig.Embedding e = config.builtin().embedding();
        embedder = e.enabled() ? new Embedder(e.threads(), e.maxCharacters()) : null;
        classifier = new BuiltinClassifier(embedder, embedder == null ? null : TokenEmbedder.distil(embedder));
        images = config.builtin().images().enabled() ? new ImageClassifier() : null;
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
    public List<ModerationResponse.Result> moderate(CatalogModel model, Taxonomy taxonomy, RequestParser.Parsed request) {
        return moderate(classifier::scores, taxonomy, request);
    }

    /** What {@link FastEngine} answers: the lexical model with the token embedding. */
    List<ModerationResponse.Result> moderateFast(Taxonomy taxonomy, RequestParser.Parsed request) {
        return moderate(classifier::fastScores, taxonomy, request);
    }

    private List<ModerationResponse.Result> moderate(Function<String, Map<String, Double>> scores, Taxonomy taxonomy,
            RequestParser.Parsed request) {
        List<ModerationResponse.Result> results = new ArrayList<>(request.inputs().size());
        for (ModerationInput input : request.inputs()) {
            results.add(result(taxonomy, input.hasText() ? scores.apply(input.text()) : Map.of(), sexualInImages(input),
                    1.0));
        }
        return results;
    }

    /** The highest {@link #IMAGE_CATEGORY} score of the input's images, empty if none was classified. */
    private OptionalDouble sexualInImages(ModerationInput input) {
        OptionalDouble highest = OptionalDouble.empty();
        if (images == null) {
            return highest;
        }
        for (ModerationInput.Image image : input.images()) {
            BufferedImage decoded;
            try {
                decoded = ImageClassifier.decode(image.bytes(), config.builtin().images().maxPixels());
            } catch (IOException e) {
                // its header passed the checks of ImageInputs, so the request stands; the image is not judged
                LOG.infof("Image at %s not judged: %s", image.param(), e.getMessage());
                continue;
            }
            if (decoded != null) {
                double score = images.sexual(decoded);
                highest = OptionalDouble.of(Math.max(score, highest.orElse(0)));
            }
        }
        return highest;
    }

    /** Scores for a text alone, flagged at the thresholds times {@code strictness} (below 1 flags more). */
    public ModerationResponse.Result classifyText(String text, double strictness) {
        return result(Taxonomy.OMNI, classifier.scores(text), OptionalDouble.empty(), strictness);
    }

    private ModerationResponse.Result result(Taxonomy taxonomy, Map<String, Double> textScores,
            OptionalDouble imageScore, double strictness) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, List<String>> applied = new LinkedHashMap<>();
        boolean any = false;
        for (String category : Taxonomy.ALL) {
            Double score = taxonomy.has(category) ? textScores.get(category) : null;
            List<String> types = new ArrayList<>(2);
            if (score != null) {
                types.add("text");
            }
            if (taxonomy.has(category) && category.equals(IMAGE_CATEGORY) && imageScore.isPresent()) {
                score = Math.max(score == null ? 0.0 : score, imageScore.getAsDouble());
                types.add("image");
            }
            double value = score == null ? 0.0 : score;
            Boolean flagged = taxonomy.has(category) ? score != null && value >= threshold(category) * strictness : null;
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
