package com.onecard.pos.reader.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link SerialLink} over jSerialComm, the only class that touches it. Works on real UARTs,
 * USB adapters, ptys and socat links ({@code getCommPort(path)}; ptys are never enumerated).
 * <p>
 * No data or disconnect listener is registered: on Linux the disconnect event fires thousands of
 * times a second once the device is gone. Loss is detected from {@code readBytes == -1},
 * {@code writeBytes <= 0}, or the device path vanishing while reads time out.
 */
public final class JSerialCommLink implements SerialLink {
    private static final Logger log = LoggerFactory.getLogger(JSerialCommLink.class);

    private final String port;
    private final SerialPort serial;
    private volatile boolean closed;
    private int currentTimeoutMs = -1;

    private JSerialCommLink(String port, SerialPort serial) {
        this.port = port;
        this.serial = serial;
    }

    /**
     * Opens {@code port} at {@code baud} 8N1.
     *
     * @throws ReaderDisconnectedException the path does not exist, or the port cannot be opened
     *                                     (busy: jSerialComm flocks it; permissions)
     */
    public static JSerialCommLink open(String port, int baud) throws IOException {
        long t0 = System.nanoTime();
        if (!Files.exists(Path.of(port))) {
            throw new ReaderDisconnectedException("serial port " + port + " does not exist");
        }
        SerialPort sp;
        try {
            sp = SerialPort.getCommPort(port);
        } catch (SerialPortInvalidPortException e) {
            throw new ReaderDisconnectedException("serial port " + port + " is not usable: " + e.getMessage(), e);
        }
        sp.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        sp.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        sp.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 1000);
        if (!sp.openPort()) {
            throw new ReaderDisconnectedException("cannot open serial port " + port + " (busy or no permission, error "
                    + sp.getLastErrorCode() + ") after " + elapsedMs(t0) + " ms");
        }
        log.debug("opened {} at {} baud", port, baud);
        JSerialCommLink link = new JSerialCommLink(port, sp);
        link.currentTimeoutMs = 100;
        return link;
    }

    @Override
    public String port() {
        return port;
    }

    @Override
    public int read(byte[] buf, Duration timeout) throws IOException {
        ensureOpen();
        // POSIX read timeouts are whole 100 ms anyway; quantising keeps us from reconfiguring the
        // port (a tcsetattr) on every read as the caller's remaining time shrinks
        int ms = (int) Math.min(1000, Math.max(100, (timeout.toMillis() + 99) / 100 * 100));
        if (ms != currentTimeoutMs) {
            serial.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, ms, 1000);
            currentTimeoutMs = ms;
        }
        int n = serial.readBytes(buf, buf.length);
        if (n < 0) {
            throw new ReaderDisconnectedException("serial port " + port + " is gone (read returned " + n + ")");
        }
        if (n == 0 && !Files.exists(Path.of(port))) {
            // a vanished pty link or USB node may still read as a quiet port for a while
            throw new ReaderDisconnectedException("serial port " + port + " disappeared");
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        int n = serial.bytesAvailable();
        if (n < 0) {
            throw new ReaderDisconnectedException("serial port " + port + " is gone (bytesAvailable returned " + n + ")");
        }
        if (n == 0 && !Files.exists(Path.of(port))) {
            throw new ReaderDisconnectedException("serial port " + port + " disappeared");
        }
        return n;
    }

    @Override
    public void write(byte[] data) throws IOException {
        ensureOpen();
        int off = 0;
        while (off < data.length) {
            int n = serial.writeBytes(data, data.length - off, off);
            if (n <= 0) {
                throw new ReaderDisconnectedException("serial port " + port + " is gone (write returned " + n + ")");
            }
            off += n;
        }
    }

    private void ensureOpen() throws ReaderDisconnectedException {
        if (closed) {
            throw new ReaderDisconnectedException("serial port " + port + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            serial.closePort();
            log.debug("closed {}", port);
        }
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
