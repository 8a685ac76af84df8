package com.onecard.pos.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over raw samples. */
public final class Stats {
    private Stats() {
    }

    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public static double median(double[] samples) {
        return percentile(samples, 50);
    }

    public static double p99(double[] samples) {
        return percentile(samples, 99);
    }
}
