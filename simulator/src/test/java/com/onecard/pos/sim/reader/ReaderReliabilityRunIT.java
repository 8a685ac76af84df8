package com.onecard.pos.sim.reader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A short reliability run: every presentation read exactly once through corruption, noise and two replugs. */
class ReaderReliabilityRunIT {
    @TempDir
    Path dir;

    @Test
    void shortRunHasNoFalseTapsAndNoMisses() throws Exception {
        ReliabilityOptions options = ReliabilityOptions.parse(new String[]{
                "--taps", "100", "--corruption", "0.01", "--noise-bursts", "5", "--unplugs", "2", "--seed", "7"});
        ReliabilityFigures f = new ReaderReliabilityRun(options, dir).run();
        System.out.print(f.table());

        assertThat(f.falseTapDetails()).isEmpty();
        assertThat(f.falseTaps()).isZero();
        assertThat(f.missed()).isZero();
        assertThat(f.tapsRead()).isEqualTo(100);
        assertThat(f.campusOk() + f.campusNotOk().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        // a corrupted frame during the sector read can cost a campus read, never a tap
        assertThat(f.campusOk()).isGreaterThanOrEqualTo(95);
        assertThat(f.removalsMissed()).isZero();
        // the first cycle is a student tapping during the outage, the second a card held through it
        assertThat(f.retries()).isEqualTo(1);
        assertThat(f.replugs()).extracting(ReliabilityFigures.Replug::kind).containsExactly("retry", "held");
        assertThat(f.replugs()).allSatisfy(r -> {
            assertThat(r.toOkMs()).isNotNegative();
            assertThat(r.toFirstTapMs()).isGreaterThanOrEqualTo(r.toOkMs());
        });
        assertThat(f.json()).contains("\"falseTaps\":0", "\"missed\":0", "\"replugs\":[{");
    }
}
