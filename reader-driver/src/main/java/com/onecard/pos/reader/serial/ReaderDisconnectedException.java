package com.onecard.pos.reader.serial;

import java.io.IOException;

/** The serial device went away (or never was there). The owner reconnects with backoff. */
public class ReaderDisconnectedException extends IOException {
    public ReaderDisconnectedException(String message) {
        super(message);
    }

    public ReaderDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
