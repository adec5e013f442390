package dev.meridian.moderation.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.Features;
import dev.meridian.moderation.builtin.Lexicon;
import dev.meridian.moderation.builtin.LinearModel;
import dev.meridian.moderation.builtin.LinearModel.Stage;
import dev.meridian.moderation.builtin.SentenceKernel;
import dev.meridian.moderation.builtin.TermWeights;
import dev.meridian.moderation.builtin.TokenEmbedder;

/**
 * Fits the built-in classifier's weights on a labelled JSONL file and reports their cross-validated quality.
 * <p>
 * For each category: the lexical model, the two embedding models (a kernel logistic regression over the sentence
 * embedding, see {@link SentenceKernel}, and a logistic regression over the token embedding), and for each of them
 * its combination with the lexical model (see {@link LinearModel}): a fixed blend of the two log-odds ({@code blend} of the lexical one, the same for every category: with 12 to 86
 * positives a category cannot fit its own mix without overfitting it), calibrated per category by a logistic fit on
 * out-of-fold log-odds, so the probabilities are right for text the models have not seen. The figures printed are
 * cross-validated, so every figure is for texts no part of the model saw: AUPRC by stratified k-fold, averaged over
 * several splits; the calibration error by nested k-fold (in each outer fold, the out-of-fold log-odds that
 * calibrate the combination come from the training folds only). Then one fit on every labelled text is written.
 * With {@code --texts FILE}, every regression is also fitted on the hand-written texts of FILE ({@link WrittenTexts}),
 * which are never among the texts measured. Usage: {@code Train DEV_JSONL OUTPUT_DIRECTORY [--texts FILE] [--folds 5]
 * [--repeats 3] [--lambda 2.0] [--embedding-lambda 0.01] [--gamma 3] [--token-lambda 0.3] [--blend 0.35] [--seed 7]};
 * {@code bench/moderation-eval.sh train} runs it with {@code --texts moderation-training/data/texts.txt}.
 */
public final class Train {

    /** The L2 strength for the calibration's slope: light, it has two parameters and hundreds of rows. */
    private static final double CALIBRATION_LAMBDA = 0.01;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int folds = 5;
        double lambda = 2.0;
        double embeddingLambda = 0.01;
        double gamma = 3;
        double tokenLambda = 0.3;
        double blend = 0.35;
        int repeats = 3;
        long seed = 7;
        Path writtenFile = null;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--folds" -> folds = Integer.parseInt(args[i + 1]);
                case "--lambda" -> lambda = Double.parseDouble(args[i + 1]);
                case "--embedding-lambda" -> embeddingLambda = Double.parseDouble(args[i + 1]);
                case "--gamma" -> gamma = Double.parseDouble(args[i + 1]);
                case "--token-lambda" -> tokenLambda = Double.parseDouble(args[i + 1]);
                case "--blend" -> blend = Double.parseDouble(args[i + 1]);
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--texts" -> writtenFile = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Sample> samples = Sample.read(data);
        Features features = new Features(Lexicon.load());
        List<WrittenTexts.Text> written = writtenFile == null ? List.of() : WrittenTexts.read(writtenFile);
        List<Features.Extracted> texts = java.util.stream.Stream.concat(samples.stream().map(Sample::prompt),
                written.stream().map(WrittenTexts.Text::text)).map(features::extract).toList();
        double[][][] embeddings = new double[texts.size()][][];
        try (Embedder embedder = new Embedder(1, Evaluate.embeddingMaxCharacters())) {
            TokenEmbedder tokens = TokenEmbedder.load(embedder);
            java.util.stream.IntStream.range(0, texts.size()).parallel().forEach(i -> {
                String canonical = texts.get(i).canonical();
                double[] sentence = canonical.isBlank() ? null : embedder.embed(canonical);
                double[] token = canonical.isBlank() ? null : tokens.embed(canonical);
                embeddings[i] = new double[][] {orZero(sentence), orZero(token)};
            });
        }
        List<Row> writtenRows = new ArrayList<>();
        for (int i = samples.size(); i < texts.size(); i++) {
            writtenRows.add(new Row(texts.get(i), embeddings[i]));
        }
        double[] lambdas = {embeddingLambda, tokenLambda};
        // the written model's sentence stage reads every text's similarity, the labelled ones then the written ones
        SentenceKernel kernel = SentenceKernel.of(java.util.Arrays.stream(embeddings).map(e -> e[Stage.SENTENCE.ordinal()])
                .toList(), gamma);

        Map<String, LinearModel.Category> categories = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "Trained on %s (%d texts) and %d written texts, lambda %.2f, embedding lambda %.3f, gamma %.1f,"
                        + " token lambda %.2f, blend %.2f. %d-fold cross-validated AUPRC, mean of %d splits (seeds from %d): engine"
                        + " builtin (sentence embedding), builtin-fast (token embedding), and the lexical model alone;"
                        + " nested-CV calibration error of both engines and the best F1 of builtin:%n",
                data.getFileName(), samples.size(), written.size(), lambda, embeddingLambda, gamma, tokenLambda, blend, folds,
                repeats, seed));
        double[] macro = new double[3];
        int categoryCount = Sample.LABELS.size();
        // per stage, category and text: its probability from a model that did not see it; and the labels
        double[][][] unseen = new double[Stage.values().length][categoryCount][samples.size()];
        Boolean[][] truth = new Boolean[categoryCount][samples.size()];
        int c = 0;
        for (String category : Sample.LABELS.values()) {
            List<Row> rows = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Boolean label = samples.get(i).labels().get(category);
                if (label != null) {
                    rows.add(new Row(texts.get(i), embeddings[i]));
                    labels.add(label);
                    index.add(i);
                    truth[c][i] = label;
                }
            }
            boolean[] y = toArray(labels);
            boolean[] writtenY = new boolean[written.size()];
            for (int i = 0; i < writtenY.length; i++) {
                writtenY[i] = written.get(i).categories().contains(category);
            }
            int positives = 0;
            for (boolean b : y) {
                positives += b ? 1 : 0;
            }
            // AUPRC on 12 to 86 positives moves by several points with the fold split alone, so it is averaged over
            // `repeats` splits; calibration is measured on one nested run, whose probabilities are the engine's own
            double[] ap = new double[3]; // builtin, builtin-fast, lexical
            double[][] logits = null;
            for (int r = 0; r < repeats; r++) {
                Fitter split = new Fitter(lambda, lambdas, gamma, blend, folds, seed + r, writtenRows, writtenY);
                double[][] z = split.outOfFoldLogits(rows, y);
                logits = r == 0 ? z : logits;
                for (Stage stage : Stage.values()) {
                    ap[stage.ordinal()] += Metrics.auprc(split.blended(z, stage), y) / repeats;
                }
                ap[2] += Metrics.auprc(java.util.Arrays.stream(z).mapToDouble(v -> v[0]).toArray(), y) / repeats;
            }
            Fitter fitter = new Fitter(lambda, lambdas, gamma, blend, folds, seed, writtenRows, writtenY);
            double[][] nested = fitter.nestedCrossValidation(rows, y);
            double[] calibrated = nested[Stage.SENTENCE.ordinal()];
            for (int m = 0; m < macro.length; m++) {
                macro[m] += ap[m];
            }
            double bestF1 = 0;
            double bestThreshold = 0;
            for (int t = 5; t <= 95; t += 5) {
                double f1 = Metrics.prf(calibrated, y, t / 100.0)[2];
                if (f1 > bestF1) {
                    bestF1 = f1;
                    bestThreshold = t / 100.0;
                }
            }
            report.append(String.format(Locale.ROOT,
                    "  %-18s %.3f  fast %.3f  lexical %.3f  (%d texts, %d positive; calibration error %.3f, fast"
                            + " %.3f; F1 %.2f at %.2f)%n",
                    category, ap[0], ap[1], ap[2], y.length, positives, Metrics.ece(calibrated, y),
                    Metrics.ece(nested[Stage.TOKENS.ordinal()], y), bestF1, bestThreshold));
            // the sentence model fitted on this category's rows, as a model over all the texts' similarities
            LinearModel.Category fitted = onAllTexts(fitter.fit(rows, y, logits), index, samples.size(), kernel);
            categories.put(category, fitted);
            // a labelled text's out-of-fold probability; a text without this label, which the model fitted on every
            // labelled text never saw, that model's
            for (int s = 0; s < unseen.length; s++) {
                for (int i = 0; i < samples.size(); i++) {
                    unseen[s][c][i] = truth[c][i] != null ? Double.NaN
                            : probability(fitted, s, new Row(texts.get(i), embeddings[i]));
                }
                for (int k = 0; k < index.size(); k++) {
                    unseen[s][c][index.get(k)] = nested[s][k];
                }
            }
            c++;
        }
        int n = Sample.LABELS.size();
        report.append(String.format(Locale.ROOT, "  %-18s %.3f  fast %.3f  lexical %.3f%n", "macro", macro[0] / n,
                macro[1] / n, macro[2] / n));
        report.append(cascade(unseen, truth));
        System.out.print(report);

        LinearModel model = new LinearModel(features.names(), categories, kernel);
        String header = "Written by dev.meridian.moderation.training.Train; do not edit by hand.\n" + report;
        Files.writeString(out.resolve("model.properties"), model.modelProperties(header));
        Files.writeString(out.resolve("terms.tsv"), model.termsTsv(header));
        try (java.io.OutputStream anchors = Files.newOutputStream(out.resolve(LinearModel.ANCHORS))) {
            kernel.write(anchors);
        }
        System.out.println("wrote " + out.resolve("model.properties") + ", " + out.resolve("terms.tsv") + " and "
                + out.resolve(LinearModel.ANCHORS));
    }

    /**
     * The cascade: the token-embedding stage scores every text, and a text that any category scores at least {@code
     * escalation} is scored again with the sentence embedding. Per escalation threshold: its macro AUPRC against the
     * two stages' own on the same nested split, and the share of texts escalated. {@code unseen} holds, per stage,
     * category and text, the probability from a model that did not see the text; a text without a label for a
     * category ({@code null} in {@code truth}) counts for the escalation, not for that category's AUPRC.
     */
    private static String cascade(double[][][] unseen, Boolean[][] truth) {
        int sentence = Stage.SENTENCE.ordinal();
        int tokens = Stage.TOKENS.ordinal();
        int categories = truth.length;
        int texts = truth[0].length;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Engine builtin's cascade (token embedding first, sentence embedding when a category reaches the"
                        + " escalation threshold there), nested-CV macro AUPRC on one split: sentence embedding for"
                        + " every text %.3f, token embedding alone (builtin-fast) %.3f%n",
                macro(unseen[sentence], truth), macro(unseen[tokens], truth)));
        for (double escalation : new double[] {0.02, 0.05, 0.1, 0.2}) {
            double[][] mixed = new double[categories][texts];
            int escalated = 0;
            for (int i = 0; i < texts; i++) {
                double max = 0;
                for (int k = 0; k < categories; k++) {
                    max = Math.max(max, unseen[tokens][k][i]);
                }
                boolean up = max >= escalation;
                escalated += up ? 1 : 0;
                for (int k = 0; k < categories; k++) {
                    mixed[k][i] = up ? unseen[sentence][k][i] : unseen[tokens][k][i];
                }
            }
            out.append(String.format(Locale.ROOT, "  escalation %.2f: macro %.3f, %.1f%% of texts escalated%n",
                    escalation, macro(mixed, truth), 100.0 * escalated / texts));
        }
        return out.toString();
    }

    /** Macro AUPRC over the categories, each on its labelled texts. */
    private static double macro(double[][] probabilities, Boolean[][] truth) {
        double sum = 0;
        for (int k = 0; k < truth.length; k++) {
            List<Double> p = new ArrayList<>();
            List<Boolean> y = new ArrayList<>();
            for (int i = 0; i < truth[k].length; i++) {
                if (truth[k][i] != null) {
                    p.add(probabilities[k][i]);
                    y.add(truth[k][i]);
                }
            }
            sum += Metrics.auprc(p.stream().mapToDouble(Double::doubleValue).toArray(), toArray(y));
        }
        return sum / truth.length;
    }

    /** The fitted category's probability for a row at one stage. */
    private static double probability(LinearModel.Category model, int stage, Row row) {
        Features.Extracted t = row.text();
        double lexical = LinearModel.lexicalLogit(model.weights(), t.x(), model.terms().score(t.terms()));
        return LinearModel.sigmoid(LinearModel.combine(model.combination()[stage], lexical,
                embeddingLogit(model.embedding()[stage], model.kernel(), stage, row)));
    }

    /** A stage's embedding model's log-odds for a row. */
    static double embeddingLogit(double[] weights, SentenceKernel kernel, int stage, Row row) {
        Stage s = Stage.values()[stage];
        return LinearModel.linear(weights, LinearModel.input(kernel, s, row.embeddings()[stage]));
    }

    /**
     * The category as a model whose sentence stage reads the similarities to every text, labelled and written,
     * {@code all}: a row it was not fitted on (one without this category's label) weighs 0. {@code index} maps its
     * labelled rows to the labelled texts; its written rows follow, as in {@code all}, after the {@code labelled}.
     */
    private static LinearModel.Category onAllTexts(LinearModel.Category fitted, List<Integer> index, int labelled,
            SentenceKernel all) {
        int sentence = Stage.SENTENCE.ordinal();
        double[] own = fitted.embedding()[sentence];
        double[] weights = new double[all.count() + 1];
        weights[0] = own[0];
        for (int k = 0; k < index.size(); k++) {
            weights[index.get(k) + 1] = own[k + 1];
        }
        for (int w = 0; w < all.count() - labelled; w++) {
            weights[labelled + w + 1] = own[index.size() + w + 1];
        }
        double[][] embedding = fitted.embedding().clone();
        embedding[sentence] = weights;
        return new LinearModel.Category(fitted.weights(), fitted.terms(), embedding, fitted.combination(), all);
    }

    /** A text with no words has nothing to embed; the regressions see it as the zero vector. */
    private static double[] orZero(double[] embedding) {
        return embedding == null ? new double[Embedder.DIMENSION] : embedding;
    }

    /** A labelled text's lexical features and its embeddings, indexed by {@link Stage} ordinal. */
    record Row(Features.Extracted text, double[][] embeddings) {
    }

    /**
     * Fits and cross-validates one category's models with one set of options; {@code embeddingLambdas} are the
     * embedding models' L2 strengths, indexed by {@link Stage} ordinal. Every regression is also fitted on the
     * {@code written} rows with their labels {@code writtenY} (see {@link WrittenTexts}); they are never among the rows
     * scored out of fold, so the figures and the calibration are for the labelled texts alone.
     */
    record Fitter(double lambda, double[] embeddingLambdas, double gamma, double blend, int folds, long seed,
            List<Row> written, boolean[] writtenY) {

        /** The category's models fitted on every row; {@code logits} are the rows' out-of-fold log-odds. */
        LinearModel.Category fit(List<Row> labelled, boolean[] labels, double[][] logits) {
            List<Row> rows = withWritten(labelled);
            boolean[] y = withWritten(labels);
            LinearModel.Category lexical = Train.fit(rows.stream().map(Row::text).toList(), y, lambda, new Random(seed));
            int stages = Stage.values().length;
            SentenceKernel kernel = kernel(rows);
            double[][] embedding = embeddingModels(rows, y, kernel);
            double[][] combination = new double[stages][];
            for (Stage stage : Stage.values()) {
                double[][] blended = java.util.Arrays.stream(blended(logits, stage)).mapToObj(z -> new double[] {z})
                        .toArray(double[][]::new);
                double[] platt = Logistic.fit(blended, labels, CALIBRATION_LAMBDA);
                combination[stage.ordinal()] = new double[] {platt[0], platt[1] * blend, platt[1] * (1 - blend)};
            }
            return new LinearModel.Category(lexical.weights(), lexical.terms(), embedding, combination, kernel);
        }

        /** The sentence kernel whose anchors are these rows. */
        SentenceKernel kernel(List<Row> rows) {
            return SentenceKernel.of(rows.stream().map(r -> r.embeddings()[Stage.SENTENCE.ordinal()]).toList(), gamma);
        }

        /** Per stage, the regression on that stage's embedding: for the sentence stage, over the kernel of the rows. */
        private double[][] embeddingModels(List<Row> rows, boolean[] y, SentenceKernel kernel) {
            double[][] models = new double[Stage.values().length][];
            for (Stage stage : Stage.values()) {
                int s = stage.ordinal();
                if (stage == Stage.SENTENCE) {
                    double[][] gram = new double[rows.size()][rows.size()];
                    for (int i = 0; i < gram.length; i++) {
                        for (int j = 0; j <= i; j++) {
                            gram[i][j] = kernel.between(i, j);
                            gram[j][i] = gram[i][j];
                        }
                    }
                    models[s] = Logistic.fitKernel(gram, y, embeddingLambdas[s]);
                } else {
                    models[s] = Logistic.fit(rows.stream().map(r -> r.embeddings()[s]).toArray(double[][]::new), y,
                            embeddingLambdas[s]);
                }
            }
            return models;
        }

        /** The rows followed by the written ones. */
        private List<Row> withWritten(List<Row> rows) {
            List<Row> all = new ArrayList<>(rows);
            all.addAll(written);
            return all;
        }

        /** The labels followed by the written rows' labels. */
        private boolean[] withWritten(boolean[] labels) {
            boolean[] all = java.util.Arrays.copyOf(labels, labels.length + writtenY.length);
            System.arraycopy(writtenY, 0, all, labels.length, writtenY.length);
            return all;
        }

        /** The blend of each row's lexical and {@code stage} embedding log-odds, before calibration. */
        double[] blended(double[][] logits, Stage stage) {
            int s = stage.ordinal() + 1;
            return java.util.Arrays.stream(logits).mapToDouble(z -> blend * z[0] + (1 - blend) * z[s]).toArray();
        }

        /** For each row, its lexical log-odds, then each stage's embedding log-odds, from models fitted on the other folds. */
        double[][] outOfFoldLogits(List<Row> rows, boolean[] y) {
            int[] fold = stratifiedFolds(y, folds, new Random(seed));
            double[][] logits = new double[y.length][];
            forEachFold(rows, y, fold, folds, (labelled, labels, f) -> {
                List<Row> train = withWritten(labelled);
                boolean[] trainY = withWritten(labels);
                LinearModel.Category lexical = Train.fit(train.stream().map(Row::text).toList(), trainY, lambda,
                        new Random(seed));
                SentenceKernel kernel = kernel(train);
                double[][] embedding = embeddingModels(train, trainY, kernel);
                for (int i = 0; i < y.length; i++) {
                    if (fold[i] == f) {
                        Features.Extracted t = rows.get(i).text();
                        logits[i] = new double[1 + embedding.length];
                        logits[i][0] = LinearModel.lexicalLogit(lexical.weights(), t.x(), lexical.terms().score(t.terms()));
                        for (int s = 0; s < embedding.length; s++) {
                            logits[i][s + 1] = embeddingLogit(embedding[s], kernel, s, rows.get(i));
                        }
                    }
                }
            });
            return logits;
        }

        /**
         * Per stage (by ordinal), out-of-fold probabilities of its combined model, each fold scored by models that
         * never saw it.
         */
        double[][] nestedCrossValidation(List<Row> rows, boolean[] y) {
            int[] fold = stratifiedFolds(y, folds, new Random(seed + 1));
            double[][] oof = new double[Stage.values().length][y.length];
            forEachFold(rows, y, fold, folds, (train, trainY, f) -> {
                LinearModel.Category model = fit(train, trainY, outOfFoldLogits(train, trainY));
                for (int i = 0; i < y.length; i++) {
                    if (fold[i] == f) {
                        for (int s = 0; s < oof.length; s++) {
                            oof[s][i] = probability(model, s, rows.get(i));
                        }
                    }
                }
            });
            return oof;
        }
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
        forEachFold(terms, y, fold, 5, (train, trainY, f) -> {
            TermWeights table = TermWeights.fit(train, trainY);
            for (int i = 0; i < y.length; i++) {
                if (fold[i] == f) {
                    termScores[i] = table.score(terms.get(i));
                }
            }
        });
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] base = rows.get(i).x();
            x[i] = java.util.Arrays.copyOf(base, base.length + 1);
            x[i][base.length] = termScores[i];
        }
        return new LinearModel.Category(Logistic.fit(x, y, lambda), TermWeights.fit(terms, y), null, null, null);
    }

    /** What to do with one fold: fit on the other folds' rows and labels, then score the rows of fold {@code f}. */
    @FunctionalInterface
    interface FoldAction<R> {
        void run(List<R> train, boolean[] trainY, int f);
    }

    /** Calls {@code action} for each fold with the rows and labels of all the other folds. */
    static <R> void forEachFold(List<R> rows, boolean[] y, int[] fold, int folds, FoldAction<R> action) {
        for (int f = 0; f < folds; f++) {
            List<R> train = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (fold[i] != f) {
                    train.add(rows.get(i));
                    labels.add(y[i]);
                }
            }
            action.run(train, toArray(labels), f);
        }
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
}
