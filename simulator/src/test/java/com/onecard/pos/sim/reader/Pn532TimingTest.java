package com.onecard.pos.sim.reader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The emulated chip's RF times, from ISO/IEC 14443-3 frame timing at 106 kbit/s (see Pn532Timing). */
class Pn532TimingTest {
    final Pn532Timing t = new Pn532Timing(0);

    @Test
    void bitAndDelayTimesAreIso14443s() {
        assertThat(Pn532Timing.BIT_US).isCloseTo(9.44, within(0.01));
        assertThat(Pn532Timing.FDT_US).isCloseTo(91.15, within(0.01));
        assertThat(Pn532Timing.GUARD_US).isCloseTo(86.43, within(0.01));
        assertThat(Pn532Timing.frameUs(1)).as("start, 8 bits + parity, end").isCloseTo(11 * 9.44, within(0.1));
    }

    @Test
    void aCardTapCostsAnActivationAnAuthenticationAndTwoReads() {
        long activation = t.micros(0x4A, new byte[]{1, 0}, true, 3);
        long auth = t.micros(0x40, new byte[]{1, 0x60, 4}, true, 3);
        long read = t.micros(0x40, new byte[]{1, 0x30, 4}, true, 3);
        assertThat(activation).isBetween(2_400L, 2_700L);
        assertThat(auth).isBetween(1_900L, 2_200L);
        assertThat(read).isBetween(1_900L, 2_200L);
        assertThat(t.micros(0x02, new byte[0], false, 3)).as("GetFirmwareVersion: no RF").isZero();
    }

    @Test
    void anEmptyFieldCostsEachActivationAttempt() {
        long one = t.micros(0x4A, new byte[]{1, 0}, false, 1);
        assertThat(t.micros(0x4A, new byte[]{1, 0}, false, 3)).isBetween(3 * one - 2, 3 * one + 2);
        assertThat(one).isBetween(420L, 480L);
    }

    @Test
    void theFirmwareAllowanceIsAddedToEveryCommand() {
        assertThat(new Pn532Timing(1000).micros(0x02, new byte[0], false, 3)).isEqualTo(1000);
        assertThat(new Pn532Timing(1000).micros(0x40, new byte[]{1, 0x30, 4}, true, 3))
                .isEqualTo(1000 + t.micros(0x40, new byte[]{1, 0x30, 4}, true, 3));
    }
}
