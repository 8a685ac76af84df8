package com.onecard.pos.reader.loop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A device read on its own thread that comes back after it is unplugged: the thread opens it,
 * reads it until it is lost, and opens it again with the card reader's backoff (100 ms doubling to
 * 2 s) until {@link #close()}. The keypad and the code scanner are such devices; the card reader
 * has its own loop ({@link ReaderLoop}) because it also polls and tracks a card's presence.
 *
 * @param <D> the open device (a serial link, a file channel), closed after each session
 */
public abstract class ReconnectingDevice<D extends AutoCloseable> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingDevice.class);
    public static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    private final String label;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile D device;
    private volatile boolean connected;
    private volatile String lastError = "not started";
    private volatile long reconnects;
    private boolean started;

    /**
     * @param threadName the thread's name ({@code keypad}, {@code scanner})
     * @param label      how log lines and errors name the device ({@code keypad /dev/input/…})
     */
    protected ReconnectingDevice(String threadName, String label) {
        this.label = label;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Opens the device; called again after every loss. */
    protected abstract D open() throws IOException;

    /** Reads the open device until it is lost (an exception) or {@link #running()} turns false. */
    protected abstract void readUntilLost(D device) throws IOException;

    /** After each session, lost or closed: drop any partial input so it is never glued to the next. */
    protected abstract void afterSession();

    /** Closes the open device from {@link #close()}, so that a read blocked on it ends. */
    protected void interruptRead(D device) throws Exception {
        device.close();
    }

    /** Starts the thread; a second call does nothing. */
    public final synchronized void start() {
        if (started || stop.getCount() == 0) {
            return;
        }
        started = true;
        thread.start();
    }

    /** True until {@link #close()}. */
    protected final boolean running() {
        return stop.getCount() > 0;
    }

    /** True while the device is open. */
    public final boolean connected() {
        return connected;
    }

    /** Why the device was last lost or could not be opened, with the elapsed time; empty when none. */
    public final String lastError() {
        return lastError;
    }

    /** Successful opens after the first one. */
    public final long reconnects() {
        return reconnects;
    }

    /** Stops the thread and closes the device; idempotent. Waits up to 3 s for the thread. */
    @Override
    public final void close() {
        stop.countDown();
        D d = device;
        if (d != null) {
            try {
                interruptRead(d);
            } catch (Exception e) {
                log.debug("{}: close failed", label, e);
            }
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            // an interruptible read (a FileChannel's) ends at once; a native one ends with its device
            thread.interrupt();
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
        while (running()) {
            long t0 = System.nanoTime();
            try (D d = open()) {
                device = d;
                if (!running()) {
                    break;
                }
                if (opens++ > 0) {
                    reconnects++;
                }
                backoff.reset();
                connected = true;
                lastError = "";
                log.debug("{} open", label);
                readUntilLost(d);
            } catch (IOException e) {
                if (running()) {
                    lastError = e.getMessage() + " (after " + (System.nanoTime() - t0) / 1_000_000 + " ms)";
                    log.debug("{} lost: {}", label, lastError);
                }
            } catch (Exception | LinkageError e) {
                // e.g. jSerialComm's native library cannot load: report, keep retrying
                lastError = "unexpected: " + e;
                log.debug("{} failed", label, e);
            } finally {
                device = null;
                connected = false;
                afterSession();
            }
            if (pause(backoff.next())) {
                break;
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
