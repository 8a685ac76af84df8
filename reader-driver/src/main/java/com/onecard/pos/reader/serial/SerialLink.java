package com.onecard.pos.reader.serial;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * A byte pipe to a serial device. It parses nothing. One thread reads and writes;
 * {@link #close()} may be called from any thread and makes a blocked read return soon.
 * <p>
 * A lost device (unplugged adapter, the pty's other end gone) is reported by one
 * {@link ReaderDisconnectedException} from {@code read} or {@code write}; the link does not
 * reconnect — its owner closes it and opens a new one with backoff.
 */
public interface SerialLink extends Closeable {

    /** Port path as configured, for messages. */
    String port();

    /**
     * Blocks until at least one byte is available or {@code timeout} passes (the real wait may
     * be rounded up to 100 ms on POSIX), then returns what is there.
     *
     * @return bytes read, 0 on timeout
     * @throws ReaderDisconnectedException the device is gone
     */
    int read(byte[] buf, Duration timeout) throws IOException;

    /**
     * Bytes a {@link #read} would return at once, without waiting: for a loop that must notice the
     * other end speaking between steps of its own (an emulated chip listening for a card).
     *
     * @throws ReaderDisconnectedException the device is gone
     */
    int available() throws IOException;

    /** Writes all bytes or throws; {@link ReaderDisconnectedException} when the device is gone. */
    void write(byte[] data) throws IOException;

    /** Idempotent; never throws. */
    @Override
    void close();
}
