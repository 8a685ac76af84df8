package com.onecard.pos.reader.gpio;

/**
 * Buzzer and LEDs at the window. Calls return at once (patterns play on a timer thread)
 * and never throw: a broken buzzer must not stop a sale.
 */
public interface Feedback extends AutoCloseable {
    /** Short beep, green LED. */
    void approved();

    /** Two beeps, red LED. */
    void declined();

    /** Long beep, red LED blinking: the terminal itself has a fault. */
    void error();

    /**
     * For a technician ({@code posctl feedback test}): the green LED blinks, then the red LED,
     * then the buzzer beeps once, about 1.2 s in all. Returns at once, like the others.
     */
    void test();

    /** What drives the outputs, for status and selftest, e.g. "gpiod on gpiochip0 ...: buzzer line 18, ...". */
    String describe();

    /**
     * How many times each output was switched on since start (a rising edge written to the
     * line), for {@code posctl status}: a technician or a test sees a pattern was really played.
     */
    default Switched switchedOn() {
        return new Switched(0, 0, 0);
    }

    /** Times switched on: buzzer, green LED, red LED. */
    record Switched(long buzzer, long green, long red) {
    }

    @Override
    default void close() {
    }
}
