package dev.meridian.moderation.builtin.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.meridian.moderation.builtin.Features;
import dev.meridian.moderation.builtin.Lexicon;
import dev.meridian.moderation.builtin.LinearModel;
import dev.meridian.moderation.builtin.TermWeights;

/**
 * Fits the built-in classifier's weights on a labelled JSONL file and reports their cross-validated quality.
 * <p>
 * For each category: stratified k-fold cross-validation (the model is fitted on k-1 folds and scores the held-out
 * fold, so every figure printed is for texts the weights never saw), then one fit on every labelled text, which is
 * what gets written. Usage:
 * {@code Train DEV_JSONL OUTPUT_DIRECTORY [--folds 5] [--lambda 2.0] [--seed 7]}; {@code bench/moderation-train.sh}
 * runs it.
 */
public final class Train {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int folds = 5;
        double lambda = 2.0;
        long seed = 7;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--folds" -> folds = Integer.parseInt(args[i + 1]);
                case "--lambda" -> lambda = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Sample> samples = Sample.read(data);
        Features features = new Features(Lexicon.load());
        List<Features.Extracted> texts = samples.stream().map(s -> features.extract(s.prompt())).toList();

        Map<String, LinearModel.Category> categories = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "Trained on %s (%d texts), lambda %.2f. %d-fold cross-validated AUPRC (seed %d):%n",
                data.getFileName(), samples.size(), lambda, folds, seed));
        double macro = 0;
        for (String category : Sample.LABELS.values()) {
            List<Features.Extracted> rows = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Boolean label = samples.get(i).labels().get(category);
                if (label != null) {
                    rows.add(texts.get(i));
                    labels.add(label);
                }
            }
            boolean[] y = new boolean[labels.size()];
            int positives = 0;
            for (int k = 0; k < y.length; k++) {
                y[k] = labels.get(k);
                positives += y[k] ? 1 : 0;
            }
            double[] oof = crossValidate(rows, y, folds, lambda, new Random(seed));
            double ap = Metrics.auprc(oof, y);
            macro += ap;
            report.append(String.format(Locale.ROOT, "  %-18s %.3f  (%d texts, %d positive; calibration error %.3f)%n",
                    category, ap, y.length, positives, Metrics.ece(oof, y)));
            categories.put(category, fit(rows, y, lambda, new Random(seed)));
        }
        report.append(String.format(Locale.ROOT, "  %-18s %.3f%n", "macro", macro / Sample.LABELS.size()));
        System.out.print(report);

        LinearModel model = new LinearModel(features.names(), categories);
        String header = "Written by dev.meridian.moderation.builtin.training.Train; do not edit by hand.\n" + report;
        Files.writeString(out.resolve("model.properties"), model.modelProperties(header));
        Files.writeString(out.resolve("terms.tsv"), model.termsTsv(header));
        System.out.println("wrote " + out.resolve("model.properties") + " and " + out.resolve("terms.tsv"));
    }

    /**
     * Fits one category: its term table on every row, and the regression on term scores that are themselves
     * cross-fitted (each row's term score comes from a table that did not see it), so the regression learns how
     * much the term score is worth on unseen text rather than on memorised text.
     */
    static LinearModel.Category fit(List<Features.Extracted> rows, boolean[] y, double lambda, Random random) {
        List<java.util.Set<String>> terms = rows.stream().map(Features.Extracted::terms).toList();
        double[] termScores = new double[rows.size()];
        int[] fold = stratifiedFolds(y, 5, random);
        for (int f = 0; f < 5; f++) {
            List<java.util.Set<String>> tt = new ArrayList<>();
            List<Boolean> ty = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (fold[i] != f) {
                    tt.add(terms.get(i));
                    ty.add(y[i]);
                }
            }
            TermWeights table = TermWeights.fit(tt, toArray(ty));
            for (int i = 0; i < y.length; i++) {
                if (fold[i] == f) {
                    termScores[i] = table.score(terms.get(i));
                }
            }
        }
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] base = rows.get(i).x();
            x[i] = java.util.Arrays.copyOf(base, base.length + 1);
            x[i][base.length] = termScores[i];
        }
        return new LinearModel.Category(Logistic.fit(x, y, lambda), TermWeights.fit(terms, y));
    }

    static boolean[] toArray(List<Boolean> list) {
        boolean[] a = new boolean[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    static int[] stratifiedFolds(boolean[] y, int folds, Random random) {
        int[] fold = new int[y.length];
        for (boolean positive : new boolean[] {true, false}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == positive) {
                    idx.add(i);
                }
            }
            java.util.Collections.shuffle(idx, random);
            for (int k = 0; k < idx.size(); k++) {
                fold[idx.get(k)] = k % folds;
            }
        }
        return fold;
    }

    /** Out-of-fold probabilities: each fold is scored by a model fitted on the other folds only. */
    static double[] crossValidate(List<Features.Extracted> rows, boolean[] y, int folds, double lambda, Random random) {
        int[] fold = stratifiedFolds(y, folds, random);
        double[] oof = new double[y.length];
        for (int f = 0; f < folds; f++) {
            List<Features.Extracted> train = new ArrayList<>();
            List<Boolean> ty = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (fold[i] != f) {
                    train.add(rows.get(i));
                    ty.add(y[i]);
                }
            }
            LinearModel.Category model = fit(train, toArray(ty), lambda, random);
            for (int i = 0; i < y.length; i++) {
                if (fold[i] == f) {
                    oof[i] = LinearModel.probability(model.weights(), rows.get(i).x(),
                            model.terms().score(rows.get(i).terms()));
                }
            }
        }
        return oof;
    }
}
