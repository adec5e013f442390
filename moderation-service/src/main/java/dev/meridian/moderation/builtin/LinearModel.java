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
 * One logistic regression per labelled category over the {@link Features} vector plus that category's
 * {@link TermWeights} score: {@code p = 1 / (1 + e^-(b + w·x + v·terms))}. Weights come from
 * {@code builtin/model.properties} and {@code builtin/terms.tsv}, both written by
 * {@link dev.meridian.moderation.builtin.training.Train} from the labelled evaluation set.
 */
public final class LinearModel {

    /** One category's intercept, feature weights and term weight (in that order), and its term table. */
    public record Category(double[] weights, TermWeights terms) {
    }

    private final List<String> features;
    private final Map<String, Category> categories;

    public LinearModel(List<String> features, Map<String, Category> categories) {
        this.features = List.copyOf(features);
        this.categories = new LinkedHashMap<>(categories);
        categories.forEach((name, c) -> {
            if (c.weights.length != features.size() + 2) {
                throw new IllegalArgumentException(name + " has " + c.weights.length + " weights for "
                        + features.size() + " features");
            }
        });
    }

    public static LinearModel load(List<String> expectedFeatures) {
        Properties p = new Properties();
        Map<String, Map<String, Double>> terms = new HashMap<>();
        try (InputStream model = resource("model.properties"); InputStream table = resource("terms.tsv")) {
            p.load(model);
            new BufferedReader(new InputStreamReader(table, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t"))
                    .forEach(f -> terms.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Double.parseDouble(f[2])));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> features = Arrays.asList(p.getProperty("features").split(","));
        if (!features.equals(expectedFeatures)) {
            throw new IllegalStateException("builtin/model.properties was trained on other features; run Train again");
        }
        Map<String, Category> categories = new LinkedHashMap<>();
        for (String name : p.getProperty("categories").split(",")) {
            double[] w = Arrays.stream(p.getProperty("w." + name).split(",")).mapToDouble(Double::parseDouble).toArray();
            categories.put(name, new Category(w, new TermWeights(terms.getOrDefault(name, Map.of()))));
        }
        return new LinearModel(features, categories);
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

    /** Probability of {@code category} for a text. */
    public double score(String category, Features.Extracted text) {
        Category c = categories.get(category);
        return probability(c.weights, text.x(), c.terms.score(text.terms()));
    }

    /** {@code weights[0]} is the intercept, the last weight multiplies the term score. */
    public static double probability(double[] weights, double[] x, double termScore) {
        double z = weights[0] + weights[weights.length - 1] * termScore;
        for (int i = 0; i < x.length; i++) {
            z += weights[i + 1] * x[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    public String modelProperties(String header) {
        StringBuilder s = new StringBuilder();
        header.lines().forEach(l -> s.append("# ").append(l).append('\n'));
        s.append("features=").append(String.join(",", features)).append('\n');
        s.append("categories=").append(String.join(",", categories.keySet())).append('\n');
        categories.forEach((name, c) -> {
            s.append("w.").append(name).append('=');
            for (int i = 0; i < c.weights.length; i++) {
                s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", c.weights[i]));
            }
            s.append('\n');
        });
        return s.toString();
    }

    public String termsTsv(String header) {
        StringBuilder s = new StringBuilder();
        header.lines().forEach(l -> s.append("# ").append(l).append('\n'));
        categories.forEach((name, c) -> c.terms.ratios().forEach((term, r) -> s.append(name).append('\t')
                .append(term).append('\t').append(String.format(Locale.ROOT, "%.4f", r)).append('\n')));
        return s.toString();
    }
}
