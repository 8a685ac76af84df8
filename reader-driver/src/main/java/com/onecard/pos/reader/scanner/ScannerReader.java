package com.onecard.pos.reader.scanner;

import com.onecard.pos.reader.loop.ReconnectBackoff;
import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Owns one serial QR / barcode scanner on a thread named {@code scanner}: opens the port,
 * delivers each scanned code to the consumer, and reopens the port with exponential backoff
 * (100 ms doubling to 2 s, as the card reader) after it goes missing or the device is unplugged.
 * A partial line left at an unplug is dropped, never glued to the next code.
 * <p>
 * The consumer is called on the scanner thread: it should hand the code over and return. An
 * exception it throws is logged at debug and the reader carries on.
 */
public final class ScannerReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScannerReader.class);
    static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    /** Opens the scanner's link; called again after every loss. */
    @FunctionalInterface
    public interface LinkFactory {
        SerialLink open() throws IOException;
    }

    private final String port;
    private final LinkFactory factory;
    private final ScannerLineDecoder decoder;
    private final Consumer<String> codes;
    private final LongSupplier nanoTime;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile SerialLink link;
    private volatile boolean connected;
    private volatile String lastError = "not started";
    private volatile long delivered;
    private volatile long overflows;
    private volatile long reconnects;
    private boolean started;

    /** A scanner on {@code port} at {@code baud} 8N1 with the default line limits. */
    public ScannerReader(String port, int baud, Consumer<String> codes) {
        this(port, () -> JSerialCommLink.open(port, baud), new ScannerLineDecoder(), codes, System::nanoTime);
    }

    public ScannerReader(String port, LinkFactory factory, ScannerLineDecoder decoder, Consumer<String> codes,
                         LongSupplier nanoTime) {
        this.port = port;
        this.factory = factory;
        this.decoder = decoder;
        this.codes = codes;
        this.nanoTime = nanoTime;
        this.thread = new Thread(this::run, "scanner");
        this.thread.setDaemon(true);
    }

    /** Starts the scanner thread; a second call does nothing. */
    public synchronized void start() {
        if (started || stop.getCount() == 0) {
            return;
        }
        started = true;
        thread.start();
    }

    public String port() {
        return port;
    }

    /** True while the port is open. */
    public boolean connected() {
        return connected;
    }

    /** Why the port was last lost or could not be opened, with the elapsed time; empty when none. */
    public String lastError() {
        return lastError;
    }

    public long codesDelivered() {
        return delivered;
    }

    /** Over-long lines dropped. */
    public long overflows() {
        return overflows;
    }

    /** Successful opens after the first one. */
    public long reconnects() {
        return reconnects;
    }

    /** Stops the thread and closes the port; idempotent. Waits up to 3 s for the thread. */
    @Override
    public void close() {
        stop.countDown();
        SerialLink l = link;
        if (l != null) {
            l.close();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        ReconnectBackoff backoff = new ReconnectBackoff(BACKOFF_MIN, BACKOFF_MAX);
        long opens = 0;
        while (stop.getCount() > 0) {
            long t0 = System.nanoTime();
            try (SerialLink l = factory.open()) {
                link = l;
                if (stop.getCount() == 0) {
                    break;
                }
                if (opens++ > 0) {
                    reconnects++;
                }
                backoff.reset();
                connected = true;
                lastError = "";
                log.debug("scanner on {} open", port);
                readUntilLost(l);
            } catch (IOException e) {
                if (stop.getCount() > 0) {
                    lastError = e.getMessage() + " (after " + (System.nanoTime() - t0) / 1_000_000 + " ms)";
                    log.debug("scanner on {} lost: {}", port, lastError);
                }
            } catch (RuntimeException | LinkageError e) {
                // e.g. jSerialComm's native library cannot load: report, keep retrying
                lastError = "unexpected: " + e;
                log.debug("scanner on {} failed", port, e);
            } finally {
                link = null;
                connected = false;
                decoder.reset();
            }
            if (pause(backoff.next())) {
                break;
            }
        }
    }

    private void readUntilLost(SerialLink l) throws IOException {
        byte[] buf = new byte[256];
        // short reads so an idle partial line is flushed close to its gap
        Duration timeout = decoder.idleGap().compareTo(Duration.ofMillis(100)) < 0 ? decoder.idleGap()
                : Duration.ofMillis(100);
        while (stop.getCount() > 0) {
            int n = l.read(buf, timeout);
            long now = nanoTime.getAsLong();
            deliver(decoder.feed(buf, 0, n, now));
            decoder.flushIfIdle(now).ifPresent(c -> deliver(List.of(c)));
            overflows = decoder.overflows();
        }
    }

    private void deliver(List<String> got) {
        for (String code : got) {
            delivered++;
            log.trace("scanner on {}: code of {} chars", port, code.length());
            try {
                codes.accept(code);
            } catch (RuntimeException e) {
                // a faulty consumer must not kill the scanner thread
                log.debug("scanner consumer threw", e);
            }
        }
    }

    /** Waits, returning true when stopped meanwhile. */
    private boolean pause(Duration d) {
        try {
            return stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
