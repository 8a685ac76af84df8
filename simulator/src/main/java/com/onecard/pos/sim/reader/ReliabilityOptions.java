package com.onecard.pos.sim.reader;

import java.nio.file.Path;

/**
 * Parameters of a reliability run.
 *
 * @param taps        card presentations
 * @param corruption  probability that a PN532 response frame is corrupted
 * @param noiseBursts presentations with line noise in front of every frame
 * @param unplugs     unplug/replug cycles spread evenly over the run
 * @param seed        seeds the plan, the noise placement and the corruption
 * @param json        where to write the figures, or null
 */
record ReliabilityOptions(int taps, double corruption, int noiseBursts, int unplugs, long seed, Path json) {
    ReliabilityOptions {
        if (taps < 1) {
            throw new IllegalArgumentException("--taps must be at least 1, got " + taps);
        }
        if (corruption < 0 || corruption > 0.5) {
            throw new IllegalArgumentException("--corruption must be 0..0.5, got " + corruption);
        }
        if (noiseBursts < 0 || noiseBursts > taps) {
            throw new IllegalArgumentException("--noise-bursts must be 0.." + taps + ", got " + noiseBursts);
        }
        if (unplugs < 0 || unplugs >= taps) {
            throw new IllegalArgumentException("--unplugs must be 0.." + (taps - 1) + ", got " + unplugs);
        }
    }

    static ReliabilityOptions parse(String[] args) {
        int taps = 1000;
        double corruption = 0.01;
        int noise = 20;
        int unplugs = 5;
        long seed = 20260105L;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--taps" -> taps = Integer.parseInt(v);
                case "--corruption" -> corruption = Double.parseDouble(v);
                case "--noise-bursts" -> noise = Integer.parseInt(v);
                case "--unplugs" -> unplugs = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--json" -> json = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new ReliabilityOptions(taps, corruption, noise, unplugs, seed, json);
    }
}
