package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A serial QR / barcode module on the device end of a pty pair: each scan writes the code and
 * its terminator, delayed by the wire time at the configured baud (10 bits per byte). Writes
 * happen on the caller's thread, one scan at a time.
 */
public final class ScannerEmulator implements AutoCloseable {
    /** Line endings the modules can be configured to send. */
    public enum Terminator {
        CR("\r"), CRLF("\r\n"), LF("\n"), NONE("");

        final String chars;

        Terminator(String chars) {
            this.chars = chars;
        }
    }

    private final String path;
    private final int baud;
    private final SerialLink link;

    /** Opens {@code ptyPath} (the device side of a {@link PtyPair}). */
    public ScannerEmulator(String ptyPath, int baud) throws IOException {
        this.path = ptyPath;
        this.baud = baud;
        this.link = JSerialCommLink.open(ptyPath, baud);
    }

    public String path() {
        return path;
    }

    /** Scans {@code code}: the code then CRLF, the modules' factory default. */
    public synchronized void scan(String code) throws IOException {
        scan(code, Terminator.CRLF);
    }

    /** Scans {@code code} ending in {@code terminator}; {@link Terminator#NONE} tests the idle flush. */
    public synchronized void scan(String code, Terminator terminator) throws IOException {
        write((code + terminator.chars).getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes on the line, e.g. noise or a code split across writes. */
    public synchronized void write(byte[] bytes) throws IOException {
        EmulatedLine.send(link, bytes, baud);
    }

    @Override
    public void close() {
        link.close();
    }
}
