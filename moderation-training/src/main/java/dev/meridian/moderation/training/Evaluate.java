package dev.meridian.moderation.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import dev.meridian.moderation.builtin.BuiltinClassifier;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.TokenEmbedder;

/**
 * The built-in engine's benchmark: runs it over a labelled JSONL file and prints, per category and macro-averaged,
 * AUPRC and precision/recall/F1 at the flag thresholds configured in moderation-service's {@code application.properties}, then texts per
 * second and p50/p99 latency per text on one thread, for the texts as they are and for short texts (each one's first
 * 60 characters). Usage: {@code Evaluate FILE.jsonl [--fast | --lexical | --sentence]}: engine
 * {@code builtin} by default (its cascade at the configured escalation), {@code --fast} engine {@code builtin-fast}
 * (the token embedding in place of the sentence embedding), {@code --lexical} the lexical model alone (either engine
 * with its embeddings turned off), {@code --sentence} the sentence embedding for every text (as the review scores);
 * {@code bench/moderation-eval.sh} runs it. The weights were fitted on dev.jsonl, so figures on that file are in-sample; the honest figure for unseen
 * text is the cross-validated AUPRC that {@link Train} prints.
 */
public final class Evaluate {

    public static void main(String[] args) throws IOException {
        String mode = "";
        Path checks = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--fast", "--lexical", "--sentence" -> mode = args[i];
                case "--checks" -> checks = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (mode.equals("--lexical")) {
            evaluate(args[0], checks, new BuiltinClassifier()::scores, "lexical model alone");
            return;
        }
        try (Embedder embedder = new Embedder(1, embeddingMaxCharacters())) {
            if (mode.equals("--fast")) {
                evaluate(args[0], checks, new BuiltinClassifier(null, TokenEmbedder.load(embedder))::fastScores,
                        "engine builtin-fast: lexical model + token embedding");
            } else if (mode.equals("--sentence")) {
                evaluate(args[0], checks, new BuiltinClassifier(embedder, null)::scores,
                        "lexical model + sentence embedding for every text");
            } else {
                double escalation = escalation();
                BuiltinClassifier cascade = new BuiltinClassifier(embedder, TokenEmbedder.load(embedder));
                evaluate(args[0], checks, text -> cascade.cascadeScores(text, escalation), String.format(Locale.ROOT,
                        "engine builtin: lexical model + token embedding, and + sentence embedding from %.2f", escalation));
            }
        }
    }

    private static void evaluate(String file, Path checks, Function<String, Map<String, Double>> classifier,
            String mode) throws IOException {
        List<Sample> samples = Sample.read(Path.of(file));
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no samples (one JSON object per line, with a prompt)");
        }
        Map<String, Double> thresholds = thresholds();

        @SuppressWarnings("unchecked")
        Map<String, Double>[] scores = new Map[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            scores[i] = classifier.apply(samples.get(i).prompt());
        }

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
        if (checks != null) {
            shortTexts(checks, classifier);
        }
        speed("", samples.stream().map(Sample::prompt).toList(), classifier);
        // short texts, the size of an image prompt or a chat message: each text's first SHORT characters
        speed(" short", samples.stream().map(s -> s.prompt().substring(0, Math.min(SHORT, s.prompt().length())))
                .toList(), classifier);
        if (checks != null) {
            // short benign texts, most of what an image platform or a chat sends: where the cascade saves most
            speed(" benign short (check-benign.txt)", WrittenTexts.checks(checks.resolve("check-benign.txt")), classifier);
        }
    }

    /**
     * How often the hand-written short texts of {@code dir} are flagged, at the configured thresholds of all 13
     * categories and at the generated-image review's stricter ones: {@code check-benign.txt} (image prompts, everyday
     * messages, idioms, groups of people named without harm) and {@code check-harmful.txt} (blunt threats, insults,
     * hate, self-harm, gore, sexual requests). They were written apart from {@code texts.txt}, which {@link Train}
     * refuses to let share a text with them, so no model was fitted on them. Prints the benign texts flagged and the
     * harmful ones missed.
     */
    private static void shortTexts(Path dir, Function<String, Map<String, Double>> classifier) throws IOException {
        Map<String, Double> thresholds = thresholds();
        double strictness = reviewStrictness();
        for (String kind : new String[] {"benign", "harmful"}) {
            List<String> texts = WrittenTexts.checks(dir.resolve("check-" + kind + ".txt"));
            int flagged = 0;
            int strict = 0;
            StringBuilder odd = new StringBuilder();
            for (String text : texts) {
                double ratio = 0;
                String worst = "";
                for (Map.Entry<String, Double> score : classifier.apply(text).entrySet()) {
                    double r = score.getValue() / threshold(thresholds, score.getKey());
                    if (r > ratio) {
                        ratio = r;
                        worst = score.getKey();
                    }
                }
                flagged += ratio >= 1 ? 1 : 0;
                strict += ratio >= strictness ? 1 : 0;
                if ((ratio >= 1) == kind.equals("benign")) {
                    odd.append(String.format(Locale.ROOT, "    %.2f× %s: %s%n", ratio, worst, text));
                }
            }
            System.out.printf(Locale.ROOT, "short %s texts (%s): %d, flagged %d (%d at the review's %.1f× thresholds);"
                    + " %s:%n%s", kind, dir.resolve("check-" + kind + ".txt").getFileName(), texts.size(), flagged,
                    strict, strictness,
                    kind.equals("benign") ? "flagged" : "missed, with their highest score/threshold",
                    odd);
        }
        System.out.println();
    }

    /** The length of the short texts timed apart. */
    private static final int SHORT = 60;

    /** Times each text on this thread, after three rounds that warm up the JIT, and prints rate and percentiles. */
    private static void speed(String label, List<String> texts, Function<String, Map<String, Double>> classifier) {
        for (int round = 0; round < 3; round++) {
            texts.forEach(classifier::apply);
        }
        long[] nanos = new long[texts.size()];
        long start = System.nanoTime();
        for (int i = 0; i < texts.size(); i++) {
            long t0 = System.nanoTime();
            classifier.apply(texts.get(i));
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        double chars = texts.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf(Locale.ROOT, "speed%s (one thread): %.0f texts/s, p50 %.3f ms, p99 %.3f ms per text"
                + " (mean %.0f characters)%n", label, texts.size() / seconds, nanos[nanos.length / 2] / 1e6,
                nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6, chars);
    }

    /** The configured {@code meridian.moderation.builtin.embedding.max-characters}. */
    public static int embeddingMaxCharacters() throws IOException {
        return Integer.parseInt(configuration().getProperty("meridian.moderation.builtin.embedding.max-characters"));
    }

    /** The configured escalation of the engine builtin's cascade: {@code meridian.moderation.builtin.embedding.escalation}. */
    public static double escalation() throws IOException {
        return Double.parseDouble(configuration().getProperty("meridian.moderation.builtin.embedding.escalation"));
    }

    /**
     * moderation-service's configuration, where the thresholds and the escalation are set: the file named by the system
     * property {@code moderation.config}, by default the service's own in this repository (relative to this module).
     */
    private static Properties configuration() throws IOException {
        Properties p = new Properties();
        Path file = Path.of(System.getProperty("moderation.config",
                "../moderation-service/src/main/resources/application.properties"));
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    /**
     * The configured flag thresholds of every category: {@code meridian.moderation.builtin.thresholds."<category>"}.
     */
    public static Map<String, Double> thresholds() throws IOException {
        String prefix = "meridian.moderation.builtin.thresholds.\"";
        Map<String, Double> t = new java.util.HashMap<>();
        configuration().forEach((key, value) -> {
            String k = key.toString();
            if (k.startsWith(prefix) && k.endsWith("\"")) {
                t.put(k.substring(prefix.length(), k.length() - 1), Double.parseDouble(value.toString()));
            }
        });
        for (String category : Sample.LABELS.values()) {
            threshold(t, category);
        }
        return t;
    }

    /** The generated-image review's factor on the thresholds: {@code meridian.moderation.review.strictness}. */
    public static double reviewStrictness() throws IOException {
        return Double.parseDouble(configuration().getProperty("meridian.moderation.review.strictness"));
    }

    private static double threshold(Map<String, Double> thresholds, String category) {
        Double threshold = thresholds.get(category);
        if (threshold == null) {
            throw new IllegalStateException("no threshold configured for " + category);
        }
        return threshold;
    }
}
