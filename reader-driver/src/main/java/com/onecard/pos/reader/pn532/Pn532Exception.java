package com.onecard.pos.reader.pn532;

import java.io.IOException;

/** The chip answered wrongly (error frame, malformed response). The port itself is still there. */
public class Pn532Exception extends IOException {
    public Pn532Exception(String message) {
        super(message);
    }

    public Pn532Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
