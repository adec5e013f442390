package dev.meridian.moderation.training;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Figures for one category: ranking (average precision, AUPRC), flagging at a threshold (precision, recall, F1) and
 * calibration (expected calibration error: how far, on average, the share of positives among texts given a score
 * near p is from p).
 */
public final class Metrics {

    private Metrics() {
    }

    /** Area under the precision-recall curve as average precision: the mean precision at each true positive. */
    public static double auprc(double[] score, boolean[] truth) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        int positives = 0;
        for (boolean t : truth) {
            positives += t ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        int hits = 0;
        int i = 0;
        while (i < order.length) {
            // tied scores form one step of the curve
            int j = i;
            int tiedHits = 0;
            while (j < order.length && score[order[j]] == score[order[i]]) {
                tiedHits += truth[order[j]] ? 1 : 0;
                j++;
            }
            hits += tiedHits;
            sum += tiedHits * ((double) hits / j);
            i = j;
        }
        return sum / positives;
    }

    /** Precision, recall and F1 when {@code score >= threshold} flags. */
    public static double[] prf(double[] score, boolean[] truth, double threshold) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < score.length; i++) {
            boolean flagged = score[i] >= threshold;
            if (flagged && truth[i]) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (truth[i]) {
                fn++;
            }
        }
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return new double[] {p, r, f};
    }

    /**
     * Expected calibration error over ten equal-width score bins: the bins' gaps between mean score and share of
     * positives, weighted by how many texts fall in each. 0 is perfectly calibrated.
     */
    public static double ece(double[] score, boolean[] truth) {
        int bins = 10;
        double[] sum = new double[bins];
        int[] positives = new int[bins];
        int[] count = new int[bins];
        for (int i = 0; i < score.length; i++) {
            int b = Math.min(bins - 1, (int) (score[i] * bins));
            sum[b] += score[i];
            positives[b] += truth[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(sum[b] / count[b] - (double) positives[b] / count[b]) * count[b] / score.length;
            }
        }
        return ece;
    }
}
