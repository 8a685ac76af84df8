package com.onecard.pos.reader.gpio;

/** For terminals without buzzer or LEDs. */
public final class NoopFeedback implements Feedback {
    @Override
    public void approved() {
    }

    @Override
    public void declined() {
    }

    @Override
    public void error() {
    }
}
