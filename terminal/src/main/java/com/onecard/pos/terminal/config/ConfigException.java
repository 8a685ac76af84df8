package com.onecard.pos.terminal.config;

/** A configuration value is missing or malformed; the message names the key. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
