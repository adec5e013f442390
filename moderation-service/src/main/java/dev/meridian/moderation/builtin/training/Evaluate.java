package dev.meridian.moderation.builtin.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;

/**
 * The built-in engine's benchmark: runs it over a labelled JSONL file and prints, per category and macro-averaged,
 * AUPRC and precision/recall/F1 at the flag thresholds configured in {@code application.properties}, then texts per
 * second and p50/p99 latency per text on one thread. Usage: {@code Evaluate FILE.jsonl [--lexical]}, where
 * {@code --lexical} measures the lexical model alone (the engine with the embedding stage turned off);
 * {@code bench/moderation-eval.sh} runs it. The weights were fitted on dev.jsonl, so figures on that file are in-sample; the honest figure for unseen
 * text is the cross-validated AUPRC that {@link Train} prints.
 */
public final class Evaluate {

    public static void main(String[] args) throws IOException {
        boolean lexical = args.length > 1 && args[1].equals("--lexical");
        try (Embedder embedder = lexical ? null : new Embedder(1, embeddingMaxCharacters())) {
            evaluate(args[0], new BuiltinClassifier(embedder), lexical ? "lexical model alone" : "lexical + embedding");
        }
    }

    private static void evaluate(String file, BuiltinClassifier classifier, String mode) throws IOException {
        List<Sample> samples = Sample.read(Path.of(file));
        Map<String, Double> thresholds = thresholds();

        // warm up the JIT, then time every text
        for (int round = 0; round < 3; round++) {
            samples.forEach(s -> classifier.scores(s.prompt()));
        }
        long[] nanos = new long[samples.size()];
        @SuppressWarnings("unchecked")
        Map<String, Double>[] scores = new Map[samples.size()];
        long start = System.nanoTime();
        for (int i = 0; i < samples.size(); i++) {
            long t0 = System.nanoTime();
            scores[i] = classifier.scores(samples.get(i).prompt());
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(Locale.ROOT, "%s: %d texts, %s%n%n", file, samples.size(), mode);
        System.out.printf(Locale.ROOT, "%-18s %6s %6s %9s %6s %6s %6s %6s%n", "category", "AUPRC", "texts", "threshold",
                "P", "R", "F1", "ECE");
        double[] macro = new double[4];
        for (String category : Sample.LABELS.values()) {
            int n = (int) samples.stream().filter(s -> s.labels().containsKey(category)).count();
            double[] score = new double[n];
            boolean[] truth = new boolean[n];
            int k = 0;
            for (int i = 0; i < samples.size(); i++) {
                Boolean label = samples.get(i).labels().get(category);
                if (label != null) {
                    score[k] = scores[i].get(category);
                    truth[k++] = label;
                }
            }
            double threshold = thresholds.get(category);
            double ap = Metrics.auprc(score, truth);
            double[] prf = Metrics.prf(score, truth, threshold);
            macro[0] += ap;
            for (int m = 0; m < 3; m++) {
                macro[m + 1] += prf[m];
            }
            System.out.printf(Locale.ROOT, "%-18s %6.3f %6d %9.2f %6.3f %6.3f %6.3f %6.3f%n", category, ap, n,
                    threshold, prf[0], prf[1], prf[2], Metrics.ece(score, truth));
        }
        int c = Sample.LABELS.size();
        System.out.printf(Locale.ROOT, "%-18s %6.3f %6s %9s %6.3f %6.3f %6.3f%n%n", "macro", macro[0] / c, "", "",
                macro[1] / c, macro[2] / c, macro[3] / c);
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double chars = samples.stream().mapToInt(s -> s.prompt().length()).average().orElse(0);
        System.out.printf(Locale.ROOT, "speed (one thread): %.0f texts/s, p50 %.3f ms, p99 %.3f ms per text"
                + " (mean %.0f characters)%n", samples.size() / seconds, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, chars);
    }

    /** The configured {@code meridian.moderation.builtin.embedding.max-characters}. */
    static int embeddingMaxCharacters() throws IOException {
        return Integer.parseInt(configuration().getProperty("meridian.moderation.builtin.embedding.max-characters"));
    }

    private static Properties configuration() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Evaluate.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p;
    }

    /** The configured flag thresholds: {@code meridian.moderation.builtin.thresholds."<category>"}. */
    static Map<String, Double> thresholds() throws IOException {
        Properties p = configuration();
        Map<String, Double> t = new java.util.HashMap<>();
        for (String category : Sample.LABELS.values()) {
            String value = p.getProperty("meridian.moderation.builtin.thresholds.\"" + category + "\"");
            if (value == null) {
                throw new IllegalStateException("no threshold configured for " + category);
            }
            t.put(category, Double.parseDouble(value));
        }
        return t;
    }
}
