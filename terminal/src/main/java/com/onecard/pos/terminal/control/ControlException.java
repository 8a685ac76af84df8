package com.onecard.pos.terminal.control;

/** A control request that cannot be served; the message goes back to the client as is. */
public class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }
}
