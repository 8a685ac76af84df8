package com.onecard.pos.reader.pn532;

/** The chip did not acknowledge or answer a command in time; the command was aborted with an ACK. */
public class Pn532TimeoutException extends Pn532Exception {
    public Pn532TimeoutException(String message) {
        super(message);
    }
}
