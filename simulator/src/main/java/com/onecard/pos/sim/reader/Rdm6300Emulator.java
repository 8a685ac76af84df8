package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.rdm6300.Rdm6300Frame;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An RDM6300 module on the device end of a pty pair: while a tag is placed it repeats the
 * tag's frame every {@value #REPEAT_MS} ms, each frame delayed by its wire time at the
 * configured baud (10 bits per byte), and is silent otherwise.
 * <p>
 * Fault injection: random noise bytes in every gap between repeats ({@link #setNoise}), with or
 * without a tag. When the pty goes away the emulator keeps trying to reopen the same path.
 */
public final class Rdm6300Emulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rdm6300Emulator.class);
    static final long REPEAT_MS = 65;

    private final String path;
    private final int baud;
    private final Random random = new Random();
    private final Thread thread;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong noiseSent = new AtomicLong();
    private volatile SerialLink link;
    private volatile byte[] tag;
    private volatile int noiseBytes;
    private volatile boolean stopped;

    /** Opens {@code ptyPath} (the device side of a {@link PtyPair}) and starts the repeat cycle. */
    public Rdm6300Emulator(String ptyPath, int baud) throws IOException {
        this.path = ptyPath;
        this.baud = baud;
        this.link = JSerialCommLink.open(ptyPath, baud);
        this.thread = new Thread(this::run, "rdm6300-emulator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Puts a tag (5 data bytes: version + 4-byte number) in the field, replacing any there. */
    public void place(byte[] uid5) {
        tag = new Rdm6300Frame(uid5).data();
    }

    /** Takes the tag away: the module falls silent. */
    public void remove() {
        tag = null;
    }

    /** Random bytes written in every gap between repeats from now on (0 = clean line). */
    public void setNoise(int bytesPerGap) {
        this.noiseBytes = bytesPerGap;
    }

    /** Tag frames written so far. */
    public long framesSent() {
        return frames.get();
    }

    public long noiseBytesSent() {
        return noiseSent.get();
    }

    /** Stops the cycle and closes the port; idempotent. */
    public void stop() {
        stopped = true;
        SerialLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        EmulatedLine.join(thread);
    }

    @Override
    public void close() {
        stop();
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            SerialLink l = link;
            if (l == null) {
                reopen();
                continue;
            }
            try {
                byte[] t = tag;
                if (t != null) {
                    send(l, new Rdm6300Frame(t).encode());
                    frames.incrementAndGet();
                }
                int noise = noiseBytes;
                if (noise > 0) {
                    byte[] junk = new byte[noise];
                    random.nextBytes(junk);
                    send(l, junk);
                    noiseSent.addAndGet(noise);
                }
            } catch (IOException e) {
                log.debug("rdm6300 emulator port {} lost: {}", path, e.getMessage());
                l.close();
                if (link == l) {
                    link = null;
                }
            }
            // a fixed-rate cycle, as the module's own timer
            next += REPEAT_MS * 1_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private void reopen() {
        if (!stopped) {
            link = EmulatedLine.tryOpen(path, baud);
        }
    }

    private void send(SerialLink l, byte[] bytes) throws IOException {
        EmulatedLine.send(l, bytes, baud);
    }
}
