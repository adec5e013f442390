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
    private final Near[] near;

    /**
     * Words of group {@code a} with a word of group {@code b} close by: within {@code window} words either side, or
     * only after when {@code ordered} ("should be" then "shot", "kill" then "them"). Closeness is what separates an
     * insult aimed at "you" from an insult and a "you" three paragraphs apart.
     */
    private record Near(String name, int[] a, int[] b, int window, boolean ordered) {
    }

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
        String[][] nearNames = {
                {"secondperson", "insult", "3", "~"}, {"secondperson", "profanity", "3", "~"},
                {"firstperson", "selfharm", "4", "~"}, {"threat", "violence", "4", ">"},
                {"violence", "target", "2", ">"}, {"identity slur", "violence", "6", "~"},
                {"identity slur generalizing", "dehumanizing", "4", "~"}, {"identity slur", "hatred", "4", "~"},
                {"injury", "bodypart", "3", "~"}, {"minor", "sexual", "8", "~"}, {"secondperson", "violence", "4", "~"},
                {"selfharm", "instruction", "5", "~"}, {"gore", "violence injury", "5", "~"}};
        near = new Near[nearNames.length];
        for (int k = 0; k < nearNames.length; k++) {
            String[] spec = nearNames[k];
            near[k] = new Near(spec[0].replace(' ', '|') + spec[3] + spec[1].replace(' ', '|'),
                    java.util.Arrays.stream(spec[0].split(" ")).mapToInt(this::index).toArray(),
                    java.util.Arrays.stream(spec[1].split(" ")).mapToInt(this::index).toArray(),
                    Integer.parseInt(spec[2]), spec[3].equals(">"));
            names.add(near[k].name);
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

    /**
     * A text's features, its terms (distinct words and adjacent word pairs) for {@link TermWeights}, and its
     * canonical words joined by spaces: the text with its disguises undone, which is what {@link Embedder} reads.
     */
    public record Extracted(double[] x, java.util.Set<String> terms, String canonical) {
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
        return new Extracted(vector(w, t.ages()), terms, String.join(" ", w));
    }

    private double[] vector(List<String> words, List<Integer> ages) {
        boolean[][] marks = lexicon.marks(words);
        int[] counts = Lexicon.counts(marks);
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
        for (Near p : near) {
            x[k++] = Math.log1p(near(marks, p));
        }
        for (int d : dense) {
            x[k++] = Math.min(1.0, 10.0 * counts[d] / length);
        }
        return x;
    }

    /** How many words of {@code p.a} have a word of {@code p.b} within the window. */
    private static int near(boolean[][] marks, Near p) {
        int n = marks[0].length;
        int[] before = new int[n + 1]; // before[i]: words of b among the first i
        for (int i = 0; i < n; i++) {
            boolean b = false;
            for (int g : p.b) {
                b |= marks[g][i];
            }
            before[i + 1] = before[i] + (b ? 1 : 0);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            boolean a = false;
            for (int g : p.a) {
                a |= marks[g][i];
            }
            if (!a) {
                continue;
            }
            int from = p.ordered ? i + 1 : Math.max(0, i - p.window);
            int to = Math.min(n, i + p.window + 1);
            int found = before[to] - before[from] - (!p.ordered && before[i + 1] > before[i] ? 1 : 0);
            if (found > 0) {
                count++;
            }
        }
        return count;
    }
}
