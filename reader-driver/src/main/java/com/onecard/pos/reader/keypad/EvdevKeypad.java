package com.onecard.pos.reader.keypad;

import com.onecard.pos.reader.loop.ReconnectBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A USB numeric keypad read through evdev on a thread named {@code keypad}: opens the device
 * (normally {@code /dev/input/by-id/usb-…-event-kbd}, a link that survives re-plugging into
 * another port), decodes its {@code input_event} records and hands each key to the listener.
 * An unplugged keypad (read fails with ENODEV, or the path is gone) is reopened with the same
 * backoff as the card reader (100 ms doubling to 2 s); an entry half typed when it went is
 * reported lost. The path may also be a FIFO fed with the same records (the simulator's keypad).
 * <p>
 * The device is not grabbed (EVIOCGRAB needs an ioctl): on a terminal with a text console the
 * console sees the keys too, which is harmless on a headless terminal (docs/operations.md).
 */
public final class EvdevKeypad implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EvdevKeypad.class);
    static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    private final Path path;
    private final int recordSize;
    private final KeypadListener listener;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile FileChannel channel;
    private volatile boolean connected;
    private volatile String lastError = "not started";
    private volatile long keys;
    private volatile long reconnects;
    private volatile long drops;
    private boolean started;

    /** A keypad at {@code path} with this JVM's record size ({@link EvdevDecoder#nativeRecordSize()}). */
    public EvdevKeypad(Path path, KeypadListener listener) {
        this(path, EvdevDecoder.nativeRecordSize(), listener);
    }

    public EvdevKeypad(Path path, int recordSize, KeypadListener listener) {
        this.path = path;
        this.recordSize = recordSize;
        this.listener = listener;
        this.thread = new Thread(this::run, "keypad");
        this.thread.setDaemon(true);
    }

    /** Starts the keypad thread; a second call does nothing. */
    public synchronized void start() {
        if (started || stop.getCount() == 0) {
            return;
        }
        started = true;
        thread.start();
    }

    public Path path() {
        return path;
    }

    /** True while the device is open. */
    public boolean connected() {
        return connected;
    }

    /** Why the device was last lost or could not be opened, with the elapsed time; empty when none. */
    public String lastError() {
        return lastError;
    }

    /** Keys delivered since start. */
    public long keys() {
        return keys;
    }

    /** Successful opens after the first one. */
    public long reconnects() {
        return reconnects;
    }

    /** Times the kernel reported lost events. */
    public long drops() {
        return drops;
    }

    /** Stops the thread and closes the device; idempotent. Waits up to 3 s for the thread. */
    @Override
    public void close() {
        stop.countDown();
        FileChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                log.debug("keypad {} close failed", path, e);
            }
        }
        // a read on a FileChannel ends when its thread is interrupted (the channel closes)
        thread.interrupt();
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
        EvdevDecoder decoder = new EvdevDecoder(recordSize);
        KeyDecoder keyDecoder = new KeyDecoder();
        long opens = 0;
        while (stop.getCount() > 0) {
            long t0 = System.nanoTime();
            boolean typing = false;
            try {
                if (!Files.exists(path)) {
                    throw new IOException("keypad " + path + " does not exist (unplugged? wrong keypad.device?)");
                }
                try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel = c;
                    if (stop.getCount() == 0) {
                        break;
                    }
                    if (opens++ > 0) {
                        reconnects++;
                    }
                    backoff.reset();
                    connected = true;
                    lastError = "";
                    log.debug("keypad {} open", path);
                    ByteBuffer buf = ByteBuffer.allocate(recordSize * 64);
                    while (stop.getCount() > 0) {
                        buf.clear();
                        int n = c.read(buf);
                        if (n < 0) {
                            throw new IOException("keypad " + path + " input ended");
                        }
                        var events = decoder.feed(buf.array(), 0, n);
                        long dropsBefore = keyDecoder.drops();
                        for (KeypadKey k : keyDecoder.keys(events)) {
                            keys++;
                            typing = k != KeypadKey.ENTER && k != KeypadKey.CANCEL;
                            deliver(k);
                        }
                        if (keyDecoder.drops() > dropsBefore) {
                            drops = keyDecoder.drops();
                            lost("the kernel dropped keypad events");
                            typing = false;
                        }
                    }
                }
            } catch (IOException e) {
                if (stop.getCount() > 0) {
                    lastError = e.getMessage() + " (after " + (System.nanoTime() - t0) / 1_000_000 + " ms)";
                    log.debug("keypad {} lost: {}", path, lastError);
                    if (typing) {
                        lost("the keypad was unplugged during an entry");
                    }
                }
            } catch (RuntimeException e) {
                lastError = "unexpected: " + e;
                log.debug("keypad {} failed", path, e);
            } finally {
                channel = null;
                connected = false;
                decoder.reset();
            }
            if (pause(backoff.next())) {
                break;
            }
        }
    }

    private void deliver(KeypadKey k) {
        try {
            listener.onKey(k);
        } catch (RuntimeException e) {
            // a faulty listener must not kill the keypad thread
            log.debug("keypad listener threw", e);
        }
    }

    private void lost(String why) {
        try {
            listener.onEntryLost(why);
        } catch (RuntimeException e) {
            log.debug("keypad listener threw", e);
        }
    }

    private boolean pause(Duration d) {
        try {
            return stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }
}
