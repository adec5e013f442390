package dev.meridian.moderation.builtin;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learned word evidence for one category: for each word or word pair seen in enough labelled texts, the log ratio of
 * how often it appears in positive versus negative texts (smoothed). A text's term score is the sum of the ratios of
 * the terms it contains over the square root of their number, so that long texts are not favoured.
 */
public final class TermWeights {

    /** A term must occur in this many labelled texts to get a weight. */
    static final int MIN_TEXTS = 8;
    /** Weaker terms are dropped: they are noise and would only bloat the model file. */
    static final double MIN_RATIO = 0.7;

    private final Map<String, Double> ratios;

    public TermWeights(Map<String, Double> ratios) {
        this.ratios = Map.copyOf(ratios);
    }

    public static TermWeights fit(List<Set<String>> texts, boolean[] positive) {
        Map<String, int[]> counts = new HashMap<>();
        int pos = 0;
        for (int i = 0; i < texts.size(); i++) {
            pos += positive[i] ? 1 : 0;
            for (String t : texts.get(i)) {
                counts.computeIfAbsent(t, k -> new int[2])[positive[i] ? 0 : 1]++;
            }
        }
        int neg = texts.size() - pos;
        Map<String, Double> ratios = new HashMap<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int a = e.getValue()[0];
            int b = e.getValue()[1];
            if (a + b < MIN_TEXTS) {
                continue;
            }
            double r = Math.log((a + 1.0) / (pos + 2.0)) - Math.log((b + 1.0) / (neg + 2.0));
            if (Math.abs(r) >= MIN_RATIO) {
                ratios.put(e.getKey(), r);
            }
        }
        return new TermWeights(ratios);
    }

    public double score(Collection<String> terms) {
        double sum = 0;
        int known = 0;
        for (String t : terms) {
            Double r = ratios.get(t);
            if (r != null) {
                sum += r;
                known++;
            }
        }
        return sum / Math.sqrt(known + 1.0);
    }

    public Map<String, Double> ratios() {
        return new TreeMap<>(ratios);
    }
}
