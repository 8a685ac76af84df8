package com.onecard.pos.reader.keypad;

import com.onecard.pos.reader.loop.ReconnectingDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
public final class EvdevKeypad extends ReconnectingDevice<FileChannel> {
    private static final Logger log = LoggerFactory.getLogger(EvdevKeypad.class);

    private final Path path;
    private final int recordSize;
    private final KeypadListener listener;
    private final EvdevDecoder decoder;
    private final KeyDecoder keyDecoder = new KeyDecoder();
    private volatile long keys;
    private volatile long drops;

    /** A keypad at {@code path} with this JVM's record size ({@link EvdevDecoder#nativeRecordSize()}). */
    public EvdevKeypad(Path path, KeypadListener listener) {
        this(path, EvdevDecoder.nativeRecordSize(), listener);
    }

    public EvdevKeypad(Path path, int recordSize, KeypadListener listener) {
        super("keypad", "keypad " + path);
        this.path = path;
        this.recordSize = recordSize;
        this.listener = listener;
        this.decoder = new EvdevDecoder(recordSize);
    }

    public Path path() {
        return path;
    }

    /** Keys delivered since start. */
    public long keys() {
        return keys;
    }

    /** Times the kernel reported lost events. */
    public long drops() {
        return drops;
    }

    @Override
    protected FileChannel open() throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("keypad " + path + " does not exist (unplugged? wrong keypad.device?)");
        }
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    protected void readUntilLost(FileChannel c) throws IOException {
        boolean typing = false;
        try {
            ByteBuffer buf = ByteBuffer.allocate(recordSize * 64);
            while (running()) {
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
        } catch (IOException e) {
            if (typing && running()) {
                lost("the keypad was unplugged during an entry");
            }
            throw e;
        }
    }

    @Override
    protected void afterSession() {
        decoder.reset();
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
}
