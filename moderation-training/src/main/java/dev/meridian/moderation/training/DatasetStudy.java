package dev.meridian.moderation.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.meridian.moderation.builtin.Embedder;
import dev.meridian.moderation.builtin.Features;
import dev.meridian.moderation.builtin.Lexicon;
import dev.meridian.moderation.builtin.TokenEmbedder;

/**
 * Measures what the public datasets ({@link PublicDatasets}) add to a model of the built-in kind, by the same
 * cross-validation as {@link Train}: per category, stratified 5-fold over dev.jsonl's labelled rows; each fold is
 * scored by a joint L2 logistic regression (liblinear) fitted on the other folds (each row counted
 * {@code --dev-weight} times) and on every dataset row that informs the category. The features: the lexical ones,
 * the token or the sentence embedding (times {@code --embedding-scale}, which weakens its regularisation), optionally
 * hashed word uni- and bigrams ({@code --grams}) and a one-hot of the row's source ({@code --sources}, so each
 * source's base rate is its own; dev.jsonl's is the one scored). Also prints the figure on all of dev.jsonl for the
 * model fitted on the datasets alone. Nothing is written: this is the study behind docs/moderation.md's "Tried and
 * not kept". Usage: {@code DatasetStudy DEV_JSONL DATA_DIR [--embedding tokens|sentence] [--no-datasets] [--grams]
 * [--sources] [--dev-weight 3] [--c 1] [--embedding-scale 1] [--repeats 1]}; {@code bench/moderation-eval.sh
 * datasets} runs it on {@code ../shared/moderation-data}.
 */
public final class DatasetStudy {

    private static final int HASH_BITS = 18;
    private static final List<String> SOURCES = List.of("dev", "hatecheck", "hatemoji", "xstest", "simplesafetytests",
            "toxigen", "diasafety", "toxic_spans", "davidson");
    private static final int FOLDS = 5;

    /** A text's features and labels; {@code source} is "dev" for dev.jsonl. */
    private record Text(Features.Extracted features, double[] embedding, Map<String, Boolean> labels, String source) {
    }

    /** The options of one run. */
    private record Options(boolean sentence, boolean datasets, boolean grams, boolean sources, int devWeight, double c,
            double embeddingScale, int repeats) {
    }

    private final Options options;
    private final int lexicalDimension;

    private DatasetStudy(Options options, int lexicalDimension) {
        this.options = options;
        this.lexicalDimension = lexicalDimension;
    }

    public static void main(String[] args) throws Exception {
        Path dev = Path.of(args[0]);
        Path data = Path.of(args[1]);
        boolean sentence = false;
        boolean datasets = true;
        boolean grams = false;
        boolean sources = false;
        int devWeight = 3;
        double c = 1;
        double scale = 1;
        int repeats = 1;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--embedding" -> sentence = switch (args[++i]) {
                    case "sentence" -> true;
                    case "tokens" -> false;
                    default -> throw new IllegalArgumentException("--embedding is tokens or sentence");
                };
                case "--no-datasets" -> datasets = false;
                case "--grams" -> grams = true;
                case "--sources" -> sources = true;
                case "--dev-weight" -> devWeight = Integer.parseInt(args[++i]);
                case "--c" -> c = Double.parseDouble(args[++i]);
                case "--embedding-scale" -> scale = Double.parseDouble(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Options options = new Options(sentence, datasets, grams, sources, devWeight, c, scale, repeats);
        Features features = new Features(Lexicon.load());
        List<Text> devTexts;
        List<Text> external;
        try (Embedder embedder = new Embedder(1, Evaluate.embeddingMaxCharacters())) {
            TokenEmbedder tokens = sentence ? null : TokenEmbedder.load(embedder);
            java.util.function.Function<Features.Extracted, double[]> embed = f -> f.canonical().isBlank()
                    ? new double[Embedder.DIMENSION]
                    : options.sentence() ? embedder.embed(f.canonical()) : tokens.embed(f.canonical());
            devTexts = Sample.read(dev).parallelStream().map(s -> {
                Features.Extracted f = features.extract(s.prompt());
                return new Text(f, embed.apply(f), s.labels(), "dev");
            }).toList();
            external = !datasets ? List.of() : PublicDatasets.read(data).parallelStream().map(r -> {
                Features.Extracted f = features.extract(r.text());
                return new Text(f, embed.apply(f), r.labels(), r.source());
            }).toList();
        }
        new DatasetStudy(options, devTexts.get(0).features().x().length).run(devTexts, external);
    }

    private void run(List<Text> devTexts, List<Text> external) {
        System.out.printf(Locale.ROOT, "%s; dev.jsonl %d texts, datasets %d rows%n", options, devTexts.size(),
                external.size());
        double macro = 0;
        double macroAlone = 0;
        for (String category : Sample.LABELS.values()) {
            List<Text> rows = devTexts.stream().filter(t -> t.labels().containsKey(category)).toList();
            boolean[] y = new boolean[rows.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = rows.get(i).labels().get(category);
            }
            List<Text> informed = external.stream().filter(t -> t.labels().containsKey(category)).toList();
            double ap = 0;
            for (int r = 0; r < options.repeats(); r++) {
                int[] fold = Train.stratifiedFolds(y, FOLDS, new Random(7 + r));
                double[] unseen = new double[y.length];
                for (int f = 0; f < FOLDS; f++) {
                    List<Text> train = new ArrayList<>(informed);
                    for (int i = 0; i < y.length; i++) {
                        for (int k = 0; fold[i] != f && k < options.devWeight(); k++) {
                            train.add(rows.get(i));
                        }
                    }
                    Model model = fit(train, category);
                    for (int i = 0; i < y.length; i++) {
                        if (fold[i] == f) {
                            unseen[i] = probability(model, rows.get(i));
                        }
                    }
                }
                ap += Metrics.auprc(unseen, y) / options.repeats();
            }
            long positives = informed.stream().filter(t -> t.labels().get(category)).count();
            double alone = Double.NaN;
            if (positives > 0) {
                Model model = fit(informed, category);
                alone = Metrics.auprc(rows.stream().mapToDouble(t -> probability(model, t)).toArray(), y);
            }
            macro += ap / Sample.LABELS.size();
            macroAlone += (Double.isNaN(alone) ? 0 : alone) / Sample.LABELS.size();
            System.out.printf(Locale.ROOT, "  %-18s cross-validated %.3f   datasets alone %.3f   (%d dataset rows, %d positive)%n",
                    category, ap, alone, informed.size(), positives);
        }
        System.out.printf(Locale.ROOT, "  %-18s cross-validated %.3f   datasets alone %.3f (a category without positives counts 0)%n",
                "macro", macro, macroAlone);
    }

    private Model fit(List<Text> train, String category) {
        Problem problem = new Problem();
        problem.l = train.size();
        problem.n = biasIndex();
        problem.bias = 1;
        problem.x = new Feature[problem.l][];
        problem.y = new double[problem.l];
        for (int i = 0; i < problem.l; i++) {
            problem.x[i] = vector(train.get(i));
            problem.y[i] = train.get(i).labels().get(category) ? 1 : 0;
        }
        Linear.disableDebugOutput();
        return Linear.train(problem, new Parameter(SolverType.L2R_LR, options.c(), 0.01));
    }

    private double probability(Model model, Text text) {
        double[] p = new double[2];
        Linear.predictProbability(model, vector(text), p);
        return p[model.getLabels()[0] == 1 ? 0 : 1];
    }

    private int biasIndex() {
        return 1 + lexicalDimension + Embedder.DIMENSION + (1 << HASH_BITS) + SOURCES.size();
    }

    /** The row's features in liblinear's form: 1-based indices in ascending order, the bias last. */
    private Feature[] vector(Text t) {
        TreeMap<Integer, Double> v = new TreeMap<>();
        double[] x = t.features().x();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0) {
                v.put(1 + i, x[i]);
            }
        }
        int next = 1 + lexicalDimension;
        for (int i = 0; i < Embedder.DIMENSION; i++) {
            v.put(next + i, t.embedding()[i] * options.embeddingScale());
        }
        next += Embedder.DIMENSION;
        if (options.grams()) {
            String[] words = t.features().canonical().split(" +");
            Map<Integer, Double> grams = new HashMap<>();
            for (int i = 0; i < words.length; i++) {
                if (!words[i].isEmpty()) {
                    grams.merge(next + bucket("u:" + words[i]), 1.0, Double::sum);
                    if (i + 1 < words.length) {
                        grams.merge(next + bucket("b:" + words[i] + " " + words[i + 1]), 1.0, Double::sum);
                    }
                }
            }
            double norm = Math.sqrt(grams.values().stream().mapToDouble(d -> d * d).sum());
            grams.forEach((k, d) -> v.put(k, d / Math.max(norm, 1e-9)));
        }
        next += 1 << HASH_BITS;
        if (options.sources()) {
            v.put(next + SOURCES.indexOf(t.source()), 1.0);
        }
        v.put(biasIndex(), 1.0);
        Feature[] features = new Feature[v.size()];
        int i = 0;
        for (Map.Entry<Integer, Double> e : v.entrySet()) {
            features[i++] = new FeatureNode(e.getKey(), e.getValue());
        }
        return features;
    }

    private static int bucket(String s) {
        return (s.hashCode() * 0x9E3779B1) >>> (32 - HASH_BITS);
    }
}
