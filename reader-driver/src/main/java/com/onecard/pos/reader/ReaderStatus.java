package com.onecard.pos.reader;

import java.time.Instant;

/**
 * Snapshot of a reader's state for status screens and posctl.
 *
 * @param state     current state
 * @param port      port path
 * @param firmware  e.g. "PN532 v1.6"; empty until the chip answered once
 * @param lastError last error message, empty if none
 * @param since     when the state last changed
 * @param taps      taps reported since start
 * @param errors    frame / timeout errors since start
 * @param implausible card identifiers dropped as noise since start (phantom tags, impossible UIDs)
 */
public record ReaderStatus(ReaderState state, String port, String firmware, String lastError,
                           Instant since, long taps, long errors, long implausible) {
}
