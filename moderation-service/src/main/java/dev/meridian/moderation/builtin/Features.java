package dev.meridian.moderation.builtin;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a text into the numeric features the classifier weighs: how much of each lexicon group it contains
 * (log-scaled, so one long story does not outweigh a short explicit line), how dense the strongest groups are,
 * stated ages under 18, and products of groups whose combination is what matters (a minor and sexual content,
 * an identity group and dehumanising words, "you" and an insult, "I" and self-harm).
 */
public final class Features {

    private final Lexicon lexicon;
    private final List<String> names = new ArrayList<>();
    private final int[] group;
    private final int[][] pairs;
    private final int[] dense;

    public Features(Lexicon lexicon) {
        this.lexicon = lexicon;
        List<String> groups = lexicon.groups();
        group = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            group[g] = g;
            names.add(groups.get(g));
        }
        names.add("length");
        names.add("age_under_18");
        names.add("age_stated");
        String[][] pairNames = {
                {"minor", "sexual"}, {"minor", "romance"}, {"age_under_18", "sexual"}, {"sexual", "romance"},
                {"identity", "dehumanizing"}, {"identity", "hatred"}, {"identity", "insult"}, {"identity", "generalizing"},
                {"identity", "violence"}, {"identity", "threat"}, {"slur", "violence"}, {"slur", "threat"},
                {"hatred", "violence"}, {"dehumanizing", "violence"}, {"secondperson", "insult"},
                {"secondperson", "threat"}, {"secondperson", "violence"}, {"secondperson", "profanity"},
                {"firstperson", "selfharm"}, {"selfharm", "instruction"}, {"selfharm", "support"},
                {"violence", "gore"}, {"threat", "violence"}, {"fiction", "violence"}, {"fiction", "sexual"},
                {"illicit", "instruction"}, {"weapon", "instruction"}, {"weapon", "violence"}, {"firstperson", "violence"},
                {"support", "violence"}, {"gore", "fiction"}};
        pairs = new int[pairNames.length][];
        for (int p = 0; p < pairNames.length; p++) {
            pairs[p] = new int[] {index(pairNames[p][0]), index(pairNames[p][1])};
            names.add(pairNames[p][0] + "*" + pairNames[p][1]);
        }
        String[] denseNames = {"sexual", "violence", "gore", "selfharm", "hatred", "insult", "slur", "minor"};
        dense = new int[denseNames.length];
        for (int d = 0; d < denseNames.length; d++) {
            dense[d] = index(denseNames[d]);
            names.add(denseNames[d] + "/words");
        }
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no feature or lexicon group named " + name);
        }
        return i;
    }

    /** Feature names, in vector order. */
    public List<String> names() {
        return names;
    }

    /** A text's features and its terms (distinct words and adjacent word pairs) for {@link TermWeights}. */
    public record Extracted(double[] x, java.util.Set<String> terms) {
    }

    public Extracted extract(String text) {
        Normalizer.Text t = Normalizer.normalize(text);
        List<String> w = lexicon.canonical(t.words());
        java.util.Set<String> terms = new java.util.HashSet<>();
        for (int i = 0; i < w.size(); i++) {
            terms.add(w.get(i));
            if (i + 1 < w.size()) {
                terms.add(w.get(i) + ' ' + w.get(i + 1));
            }
        }
        return new Extracted(vector(w, t.ages()), terms);
    }

    private double[] vector(List<String> words, List<Integer> ages) {
        int[] counts = lexicon.count(words);
        double[] x = new double[names.size()];
        int k = 0;
        for (int g = 0; g < group.length; g++) {
            x[k++] = Math.log1p(counts[g]);
        }
        int length = Math.max(1, words.size());
        x[k++] = Math.log1p(length) / 5;
        boolean under18 = ages.stream().anyMatch(a -> a < 18);
        x[k++] = under18 ? 1 : 0;
        x[k++] = ages.isEmpty() ? 0 : 1;
        for (int[] p : pairs) {
            x[k++] = Math.sqrt(x[p[0]] * x[p[1]]);
        }
        for (int d : dense) {
            x[k++] = Math.min(1.0, 10.0 * counts[d] / length);
        }
        return x;
    }
}
