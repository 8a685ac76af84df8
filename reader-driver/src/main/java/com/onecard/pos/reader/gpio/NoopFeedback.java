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

    @Override
    public void test() {
    }

    @Override
    public String describe() {
        return "no buzzer or LEDs (gpio.platform=none)";
    }
}
