package com.onecard.pos.reader.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the {@link Feedback} for a platform: "pi" (real GPIO), "mock" (in memory) or "none". */
public final class Feedbacks {
    private static final Logger log = LoggerFactory.getLogger(Feedbacks.class);

    private Feedbacks() {
    }

    /**
     * Never throws for a GPIO problem: a Pi whose GPIO cannot be opened falls back to no feedback
     * (logged at debug), because the terminal must still sell.
     *
     * @throws IllegalArgumentException for an unknown platform name (a configuration error)
     */
    public static Feedback create(String platform, int buzzerPin, int greenPin, int redPin) {
        String p = platform == null ? "none" : platform.trim().toLowerCase(java.util.Locale.ROOT);
        switch (p) {
            case "none":
                return new NoopFeedback();
            case "mock":
                return new Pi4jFeedback(mockContext(), true, buzzerPin, greenPin, redPin);
            case "pi":
                try {
                    return new Pi4jFeedback(Pi4J.newAutoContext(), true, buzzerPin, greenPin, redPin);
                } catch (RuntimeException | LinkageError e) {
                    log.debug("GPIO unavailable on pins {}/{}/{}, feedback disabled", buzzerPin, greenPin, redPin, e);
                    return new NoopFeedback();
                }
            default:
                throw new IllegalArgumentException("feedback platform must be mock, pi or none, got '" + platform + "'");
        }
    }

    /** In-memory GPIO for tests and laptops. */
    public static Context mockContext() {
        return Pi4J.newContextBuilder().add(new MockPlatform()).add(MockDigitalOutputProvider.newInstance()).build();
    }
}
