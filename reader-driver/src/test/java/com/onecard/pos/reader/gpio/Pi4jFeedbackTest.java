package com.onecard.pos.reader.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pi4jFeedbackTest {

    @Test
    void approvedLightsGreenWithBeepThenEndsAllLow() {
        Context ctx = Feedbacks.mockContext();
        try (Pi4jFeedback f = new Pi4jFeedback(ctx, true, 18, 23, 24)) {
            DigitalOutput[] o = f.outputs();
            f.approved();
            await(() -> o[0].isHigh() && o[1].isHigh());
            assertThat(o[2].isHigh()).isFalse();
            await(() -> o[0].isLow() && o[1].isHigh());
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void declinedUsesRedNotGreen() {
        try (Pi4jFeedback f = new Pi4jFeedback(Feedbacks.mockContext(), true, 18, 23, 24)) {
            DigitalOutput[] o = f.outputs();
            f.declined();
            await(() -> o[0].isHigh() && o[2].isHigh());
            assertThat(o[1].isHigh()).isFalse();
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void newPatternCutsTheRunningOneShort() {
        try (Pi4jFeedback f = new Pi4jFeedback(Feedbacks.mockContext(), true, 18, 23, 24)) {
            DigitalOutput[] o = f.outputs();
            f.error();
            await(() -> o[0].isHigh());
            f.approved();
            await(() -> o[1].isHigh());
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void factoryBuildsEachPlatformAndRejectsUnknown() {
        try (Feedback none = Feedbacks.create("none", 18, 23, 24); Feedback mock = Feedbacks.create("mock", 18, 23, 24)) {
            assertThat(none).isInstanceOf(NoopFeedback.class);
            assertThat(mock).isInstanceOf(Pi4jFeedback.class);
            mock.approved();
        }
        assertThatThrownBy(() -> Feedbacks.create("arduino", 1, 2, 3)).hasMessageContaining("arduino");
    }

    private static void await(BooleanSupplier c) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 3 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
