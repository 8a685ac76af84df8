package com.onecard.pos.reader;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One opened card reader. Blocking, single-threaded: the reader loop calls it from its own
 * thread; only {@link #close()} may come from another thread.
 * <p>
 * A lost device is reported as {@link com.onecard.pos.reader.serial.ReaderDisconnectedException};
 * a chip that stops answering as another {@link IOException}. The driver never reconnects:
 * {@link com.onecard.pos.reader.loop.ReaderLoop} closes it and opens a new one with backoff.
 */
public interface CardReaderDriver extends AutoCloseable {

    String port();

    /** Firmware as the chip reports it, e.g. "PN532 v1.6". */
    String firmware();

    /**
     * Looks for a card once. When the card found has UID {@code presentUid} (it stayed on the
     * reader), its sector is not read again and the result carries {@code NOT_ATTEMPTED}.
     *
     * @param presentUid UID of the card believed to be on the reader, or null
     * @param now        timestamp for the tap
     * @return the card seen, or empty
     */
    Optional<CardTap> poll(byte[] presentUid, Instant now) throws IOException;

    /**
     * As {@link #poll(byte[], Instant)}, telling {@code seen} a new card's UID as soon as the card
     * answers, before its sectors are read (a PN532's auth and read take ≈ 10 ms more), so the
     * terminal can ask the center meanwhile. A driver that learns the UID and the data at once
     * never calls it.
     */
    default Optional<CardTap> poll(byte[] presentUid, Instant now, java.util.function.Consumer<byte[]> seen) throws IOException {
        return poll(presentUid, now);
    }

    /** Link-level errors so far (bad frames, retries, timeouts), for the DEGRADED state. */
    long errors();

    /**
     * Card identifiers dropped so far as no card's ({@link com.onecard.pos.reader.Plausibility}):
     * well-formed frames that noise made, never reported as a tap.
     */
    default long implausible() {
        return 0;
    }

    /** Idempotent, never throws. */
    @Override
    void close();
}
