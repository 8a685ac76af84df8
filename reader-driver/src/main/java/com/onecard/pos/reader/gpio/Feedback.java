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

    @Override
    default void close() {
    }
}
