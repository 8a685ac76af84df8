package com.onecard.pos.reader.gpio;

/**
 * Buzzer and LEDs cannot be driven as configured: the provider pi4j resolves to is not the one
 * the platform needs, or the GPIO chip or a line does not exist. The message names the platform,
 * the provider, the chip and the line; the daemon refuses to start with it.
 */
public class GpioException extends Exception {
    public GpioException(String message) {
        super(message);
    }

    public GpioException(String message, Throwable cause) {
        super(message, cause);
    }
}
