package dev.meridian.moderation.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Per labelled category, a lexical model, two embedding models, and the two combinations that the engines use:
 * <ul>
 * <li>the lexical model, over the {@link Features} vector plus that category's {@link TermWeights} score:
 * {@code zl = b + w·x + v·terms};</li>
 * <li>per {@link Stage}, a model over the text's embedding: a linear one over the distilled token embedding of the
 * {@link TokenEmbedder}, {@code ze = b' + u·e}, and a kernel one over the sentence embedding of the {@link Embedder},
 * {@code ze = b' + u·k(e)}, where {@code k(e)} are the text's similarities to the anchor texts of the
 * {@link SentenceKernel} ({@link #input} turns an embedding into what its stage's model reads);</li>
 * <li>per stage, the combination {@code p = 1 / (1 + e^-(c0 + c1·zl + c2·ze))}, fitted on out-of-fold {@code zl}
 * and {@code ze}, so it weighs each model by how well it does on text it did not see, and calibrates the result.</li>
 * </ul>
 * Without an embedding the lexical model alone gives {@code p = 1 / (1 + e^-zl)}. Weights come from
 * {@code builtin/model.properties}, {@code builtin/terms.tsv} and {@code builtin/sentence-anchors.bin}, all written by
 * moderation-training's {@code Train} from the labelled evaluation set.
 */
public final class LinearModel {

    /** The sentence kernel's anchors, next to {@code model.properties}. */
    public static final String ANCHORS = "sentence-anchors.bin";

    /** The embedding a combination reads; the keys name its weights in {@code model.properties}. */
    public enum Stage {
        /** The {@link Embedder}'s sentence embedding: engine {@code builtin}. */
        SENTENCE("e.", "c."),
        /** The {@link TokenEmbedder}'s distilled token embedding: engine {@code builtin-fast}. */
        TOKENS("t.", "tc.");

        final String embeddingKey;
        final String combinationKey;

        Stage(String embeddingKey, String combinationKey) {
            this.embeddingKey = embeddingKey;
            this.combinationKey = combinationKey;
        }
    }

    /**
     * One category: the lexical model's intercept, feature weights and term weight (in that order) and its term
     * table; per {@link Stage} (by ordinal), the embedding model's intercept and weights, and the combination's
     * intercept and two weights; the kernel whose similarities the {@link Stage#SENTENCE} model weighs.
     */
    public record Category(double[] weights, TermWeights terms, double[][] embedding, double[][] combination,
            SentenceKernel kernel) {
    }

    private final List<String> features;
    private final Map<String, Category> categories;
    private final SentenceKernel kernel;

    /** Every category's sentence model reads {@code kernel}. */
    public LinearModel(List<String> features, Map<String, Category> categories, SentenceKernel kernel) {
        this.features = List.copyOf(features);
        this.categories = new LinkedHashMap<>(categories);
        this.kernel = kernel;
        categories.forEach((name, c) -> {
            if (c.kernel != kernel) {
                throw new IllegalArgumentException(name + " reads another sentence kernel");
            }
            if (c.weights.length != features.size() + 2) {
                throw new IllegalArgumentException(name + " has " + c.weights.length + " weights for "
                        + features.size() + " features");
            }
            for (Stage stage : Stage.values()) {
                double[] e = c.embedding[stage.ordinal()];
                double[] combination = c.combination[stage.ordinal()];
                int inputs = stage == Stage.SENTENCE ? kernel.count() : Embedder.DIMENSION;
                if (e.length != inputs + 1 || combination.length != 3) {
                    throw new IllegalArgumentException(name + " has " + e.length + " " + stage + " embedding weights"
                            + " and " + combination.length + " combination weights");
                }
            }
        });
    }

    public static LinearModel load(List<String> expectedFeatures) {
        Properties p = new Properties();
        Map<String, Map<String, Double>> terms = new HashMap<>();
        SentenceKernel kernel;
        try (InputStream model = resource("model.properties"); InputStream table = resource("terms.tsv");
                InputStream anchors = resource(ANCHORS)) {
            p.load(model);
            new BufferedReader(new InputStreamReader(table, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t"))
                    .forEach(f -> terms.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Double.parseDouble(f[2])));
            kernel = SentenceKernel.read(anchors, (int) numbers(p, "sentence.anchors")[0], numbers(p, "sentence.gamma")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> features = Arrays.asList(p.getProperty("features").split(","));
        if (!features.equals(expectedFeatures)) {
            throw new IllegalStateException("builtin/model.properties was trained on other features; run Train again");
        }
        Map<String, Category> categories = new LinkedHashMap<>();
        for (String name : p.getProperty("categories").split(",")) {
            double[][] embedding = new double[Stage.values().length][];
            double[][] combination = new double[Stage.values().length][];
            for (Stage stage : Stage.values()) {
                embedding[stage.ordinal()] = numbers(p, stage.embeddingKey + name);
                combination[stage.ordinal()] = numbers(p, stage.combinationKey + name);
            }
            categories.put(name, new Category(numbers(p, "w." + name),
                    new TermWeights(terms.getOrDefault(name, Map.of())), embedding, combination, kernel));
        }
        return new LinearModel(features, categories, kernel);
    }

    private static double[] numbers(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("builtin/model.properties has no " + key + "; run Train again");
        }
        return Arrays.stream(value.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static InputStream resource(String name) {
        InputStream in = LinearModel.class.getResourceAsStream("/builtin/" + name);
        if (in == null) {
            throw new IllegalStateException("builtin/" + name + " is missing from the classpath");
        }
        return in;
    }

    public Map<String, Category> categories() {
        return categories;
    }

    public SentenceKernel kernel() {
        return kernel;
    }

    /** What {@code stage}'s models read of a text's embedding for that stage; computed once for all categories. */
    public double[] input(Stage stage, double[] embedding) {
        return input(kernel, stage, embedding);
    }

    /** As {@link #input(Stage, double[])}, for models that read {@code kernel}. */
    public static double[] input(SentenceKernel kernel, Stage stage, double[] embedding) {
        return stage == Stage.SENTENCE ? kernel.features(embedding) : embedding;
    }

    /**
     * Probability of {@code category} for a text: the {@code stage}'s combined model given what that stage reads of
     * the text's embedding ({@link #input}), the lexical model alone given {@code null}.
     */
    public double score(String category, Features.Extracted text, Stage stage, double[] input) {
        Category c = categories.get(category);
        double lexical = lexicalLogit(c.weights, text.x(), c.terms.score(text.terms()));
        if (input == null) {
            return sigmoid(lexical);
        }
        int s = stage.ordinal();
        return sigmoid(combine(c.combination[s], lexical, linear(c.embedding[s], input)));
    }

    /** The lexical model's log-odds; {@code weights[0]} is the intercept, the last weight multiplies the term score. */
    public static double lexicalLogit(double[] weights, double[] x, double termScore) {
        return linear(weights, x) + weights[weights.length - 1] * termScore;
    }

    /** {@code w[0] + w[1]·x[0] + … + w[n]·x[n-1]}; weights beyond {@code x.length + 1} are ignored. */
    public static double linear(double[] w, double[] x) {
        double z = w[0];
        for (int i = 0; i < x.length; i++) {
            z += w[i + 1] * x[i];
        }
        return z;
    }

    /** The combination's log-odds from the two models' log-odds. */
    public static double combine(double[] combination, double lexical, double embedding) {
        return combination[0] + combination[1] * lexical + combination[2] * embedding;
    }

    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    public String modelProperties(String header) {
        StringBuilder s = new StringBuilder();
        header.lines().forEach(l -> s.append("# ").append(l).append('\n'));
        s.append("features=").append(String.join(",", features)).append('\n');
        s.append("categories=").append(String.join(",", categories.keySet())).append('\n');
        s.append("sentence.anchors=").append(kernel.count()).append('\n');
        s.append("sentence.gamma=").append(kernel.gamma()).append('\n');
        categories.forEach((name, c) -> {
            append(s, "w." + name, c.weights);
            for (Stage stage : Stage.values()) {
                append(s, stage.embeddingKey + name, c.embedding[stage.ordinal()]);
                append(s, stage.combinationKey + name, c.combination[stage.ordinal()]);
            }
        });
        return s.toString();
    }

    private static void append(StringBuilder s, String key, double[] values) {
        s.append(key).append('=');
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", values[i]));
        }
        s.append('\n');
    }

    public String termsTsv(String header) {
        StringBuilder s = new StringBuilder();
        header.lines().forEach(l -> s.append("# ").append(l).append('\n'));
        categories.forEach((name, c) -> c.terms.ratios().forEach((term, r) -> s.append(name).append('\t')
                .append(term).append('\t').append(String.format(Locale.ROOT, "%.4f", r)).append('\n')));
        return s.toString();
    }
}
