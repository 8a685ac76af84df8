package com.onecard.pos.reader.gpio;

import java.util.List;

/**
 * A feedback pattern: output states held for a while, one step after another. Every pattern
 * ends with all outputs low.
 */
record Pattern(List<Step> steps) {

    record Step(boolean buzzer, boolean green, boolean red, int millis) {
    }

    static final Pattern APPROVED = new Pattern(List.of(
            new Step(true, true, false, 120),
            new Step(false, true, false, 600),
            new Step(false, false, false, 0)));

    static final Pattern DECLINED = new Pattern(List.of(
            new Step(true, false, true, 80),
            new Step(false, false, true, 80),
            new Step(true, false, true, 80),
            new Step(false, false, true, 600),
            new Step(false, false, false, 0)));

    static final Pattern ERROR = new Pattern(List.of(
            new Step(true, false, true, 150),
            new Step(true, false, false, 150),
            new Step(true, false, true, 150),
            new Step(true, false, false, 150),
            new Step(false, false, true, 150),
            new Step(false, false, false, 0)));

    /** Each output once, one after the other, so a technician sees and hears which one fails. */
    static final Pattern TEST = new Pattern(List.of(
            new Step(false, true, false, 300),
            new Step(false, false, false, 200),
            new Step(false, false, true, 300),
            new Step(false, false, false, 200),
            new Step(true, false, false, 150),
            new Step(false, false, false, 0)));

    int totalMillis() {
        return steps.stream().mapToInt(Step::millis).sum();
    }
}
