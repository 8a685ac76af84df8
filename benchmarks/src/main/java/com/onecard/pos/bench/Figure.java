package com.onecard.pos.bench;

/**
 * One measured figure. {@code median} null means not measured ({@code note} says why);
 * {@code p99}, {@code baseline}, {@code ratio} and {@code budget} are null where they do not apply.
 */
public record Figure(String name, Double median, Double p99, String unit, Double baseline, Double ratio,
                     String budget, Integer samples, String note) {

    public static Figure of(String name, double[] samples, String unit, String budget) {
        return new Figure(name, Stats.median(samples), Stats.p99(samples), unit, null, null, budget, samples.length, null);
    }

    public static Figure single(String name, double value, String unit, String budget, String note) {
        return new Figure(name, value, null, unit, null, null, budget, 1, note);
    }

    public static Figure notMeasured(String name, String unit, String budget, String why) {
        return new Figure(name, null, null, unit, null, null, budget, 0, why);
    }

    /** This figure against a baseline measured in the same run: ratio = median / baseline median. */
    public Figure against(Figure base) {
        Double r = median == null || base.median == null || base.median == 0 ? null : median / base.median;
        return new Figure(name, median, p99, unit, base.median, r, budget, samples, note);
    }

    /** This figure's p99 against the p99 of a baseline measured in the same run: ratio = p99 / baseline p99. */
    public Figure againstP99(Figure base) {
        Double r = p99 == null || base.p99 == null || base.p99 == 0 ? null : p99 / base.p99;
        return new Figure(name, median, p99, unit, base.p99, r, budget, samples, note);
    }

    public Figure withNote(String n) {
        return new Figure(name, median, p99, unit, baseline, ratio, budget, samples, n);
    }
}
