package dev.meridian.moderation.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;

import dev.meridian.common.api.models.CatalogModel;
import dev.meridian.common.api.moderations.ModerationResponse;
import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.TokenEmbedder;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.service.ModerationInput;
import dev.meridian.moderation.service.RequestParser;
import dev.meridian.moderation.service.Taxonomy;

/**
 * The built-in engine: {@link BuiltinClassifier} on the text (with its sentence embedding unless
 * {@code meridian.moderation.builtin.embedding.enabled} is false), flags at the configured thresholds. It also holds
 * the classifier that {@link FastEngine} uses, since both share the models. It has no image
 * model, so images are validated but not judged: {@code category_applied_input_types} never lists {@code image}, and
 * an input made only of images scores zero with no applied input types.
 */
@Startup
@ApplicationScoped
public class BuiltinEngine implements ModerationEngine {

    public static final String NAME = "builtin";

    @Inject
    ModerationConfig config;

    private Embedder embedder;
    private BuiltinClassifier classifier;

    /**
     * Loads the models and distils the token embedding; {@link Startup} makes that happen at start-up, so no request
     * pays for it.
     */
    @PostConstruct
    void load() {
        ModerationConfig.Embedding e = config.builtin().embedding();
        embedder = e.enabled() ? new Embedder(e.threads(), e.maxCharacters()) : null;
        classifier = new BuiltinClassifier(embedder, embedder == null ? null : TokenEmbedder.distil(embedder));
    }

    @PreDestroy
    void close() {
        if (embedder != null) {
            embedder.close();
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
            results.add(result(taxonomy, input.hasText() ? scores.apply(input.text()) : Map.of(), 1.0));
        }
        return results;
    }

    /** Scores for a text alone, flagged at the thresholds times {@code strictness} (below 1 flags more). */
    public ModerationResponse.Result classifyText(String text, double strictness) {
        return result(Taxonomy.OMNI, classifier.scores(text), strictness);
    }

    private ModerationResponse.Result result(Taxonomy taxonomy, Map<String, Double> scores, double strictness) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, List<String>> applied = new LinkedHashMap<>();
        boolean any = false;
        for (String category : Taxonomy.ALL) {
            Double score = taxonomy.has(category) ? scores.get(category) : null;
            double value = score == null ? 0.0 : score;
            Boolean flagged = taxonomy.has(category) ? score != null && value >= threshold(category) * strictness : null;
            any |= Boolean.TRUE.equals(flagged);
            flags.put(category, flagged);
            out.put(category, value);
            applied.put(category, score == null ? List.of() : List.of("text"));
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
