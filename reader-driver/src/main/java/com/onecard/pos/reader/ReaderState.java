package com.onecard.pos.reader;

/** Health of a card reader as the technician sees it. */
public enum ReaderState {
    /** Port open, chip answering. */
    OK,
    /** Answering, but with recent errors (bad frames, missing ACKs, retries). */
    DEGRADED,
    /** Port missing or unplugged, or the chip stopped answering; reconnecting with backoff. */
    DISCONNECTED
}
