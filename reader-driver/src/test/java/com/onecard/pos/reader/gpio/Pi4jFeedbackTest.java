package com.onecard.pos.reader.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Patterns on pi4j's mock provider (test scope here; the simulator carries it, the package does not). */
class Pi4jFeedbackTest {

    private static Pi4jFeedback mock() throws GpioException {
        return (Pi4jFeedback) Feedbacks.create("mock", 18, 23, 24);
    }

    @Test
    void approvedLightsGreenWithBeepThenEndsAllLow() throws Exception {
        try (Pi4jFeedback f = mock()) {
            DigitalOutput[] o = f.outputs();
            f.approved();
            await(() -> o[0].isHigh() && o[1].isHigh());
            assertThat(o[2].isHigh()).isFalse();
            await(() -> o[0].isLow() && o[1].isHigh());
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void declinedUsesRedNotGreen() throws Exception {
        try (Pi4jFeedback f = mock()) {
            DigitalOutput[] o = f.outputs();
            f.declined();
            await(() -> o[0].isHigh() && o[2].isHigh());
            assertThat(o[1].isHigh()).isFalse();
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void newPatternCutsTheRunningOneShort() throws Exception {
        try (Pi4jFeedback f = mock()) {
            DigitalOutput[] o = f.outputs();
            f.error();
            await(() -> o[0].isHigh());
            f.approved();
            await(() -> o[1].isHigh());
            await(() -> o[0].isLow() && o[1].isLow() && o[2].isLow());
        }
    }

    @Test
    void theTestBlinksGreenThenRedThenBeepsOnceAndEndsAllLow() throws Exception {
        try (Pi4jFeedback f = mock()) {
            List<String> changes = new CopyOnWriteArrayList<>();
            for (DigitalOutput o : f.outputs()) {
                o.addListener(e -> changes.add(o.id() + (e.state() == DigitalState.HIGH ? " on" : " off")));
            }
            f.test();
            await(() -> changes.contains("buzzer off"));
            assertThat(changes).containsExactly("led-green on", "led-green off", "led-red on", "led-red off",
                    "buzzer on", "buzzer off");
            assertThat(f.describe()).contains(Feedbacks.MOCK).contains("buzzer line 18").contains("green LED line 23")
                    .contains("red LED line 24");
        }
    }

    @Test
    void factoryBuildsEachPlatformAndRejectsUnknown() throws Exception {
        try (Feedback none = Feedbacks.create("none", 18, 23, 24); Feedback mock = Feedbacks.create("mock", 18, 23, 24)) {
            assertThat(none).isInstanceOf(NoopFeedback.class);
            assertThat(none.describe()).contains("gpio.platform=none");
            assertThat(mock).isInstanceOf(Pi4jFeedback.class);
            mock.approved();
        }
        assertThatThrownBy(() -> Feedbacks.create("arduino", 1, 2, 3)).hasMessageContaining("arduino");
    }

    @Test
    void piOnAClassPathWhereTheMockWinsIsRefusedNamingTheProviders() {
        // this test class path carries pi4j-plugin-mock beside pi4j-plugin-gpiod: the mock's priority wins
        assertThat(Feedbacks.resolution().resolved()).isEqualTo(Feedbacks.MOCK);
        assertThat(Feedbacks.resolution().plugins()).containsExactly("com.pi4j.plugin.gpiod.GpioDPlugin",
                "com.pi4j.plugin.mock.MockPlugin");
        assertThatThrownBy(() -> Feedbacks.create("pi", 18, 23, 24)).isInstanceOf(GpioException.class)
                .hasMessageContaining("gpio.platform=pi resolves to pi4j provider 'mock-digital-output'")
                .hasMessageContaining(Feedbacks.GPIOD);
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
