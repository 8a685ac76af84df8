package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.keypad.EvdevDecoder;
import com.onecard.pos.reader.keypad.InputEvent;
import com.onecard.pos.reader.keypad.KeypadKey;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * A USB numeric keypad as the daemon's evdev reader sees one: a FIFO (made with {@code mkfifo})
 * that this emulator writes {@code struct input_event} records into, the kernel's way: for each
 * key a MSC_SCAN with its HID usage, the key press, SYN_REPORT, the release, SYN_REPORT. Opened
 * read-write so that neither side waits for the other to open it. One writer thread at a time.
 */
public final class KeypadEmulator implements AutoCloseable {
    private final Path path;
    private final int recordSize;
    private final Clock clock;
    private final RandomAccessFile fifo;
    private long keys;

    private KeypadEmulator(Path path, int recordSize, Clock clock, RandomAccessFile fifo) {
        this.path = path;
        this.recordSize = recordSize;
        this.clock = clock;
        this.fifo = fifo;
    }

    /**
     * Makes the FIFO at {@code path} (a stale one is replaced) and opens it.
     *
     * @throws IOException mkfifo is missing or failed
     */
    public static KeypadEmulator start(Path path, Clock clock) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        Process mk = new ProcessBuilder("mkfifo", "-m", "0600", path.toString()).redirectErrorStream(true).start();
        try {
            if (mk.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed: " + new String(mk.getInputStream().readAllBytes()).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making the keypad FIFO " + path, e);
        }
        return new KeypadEmulator(path, EvdevDecoder.nativeRecordSize(), clock, new RandomAccessFile(path.toFile(), "rw"));
    }

    public Path path() {
        return path;
    }

    public long keysSent() {
        return keys;
    }

    /** Presses and releases {@code key}. */
    public synchronized void press(KeypadKey key) throws IOException {
        int code = key.code();
        Instant t = clock.instant();
        long sec = t.getEpochSecond();
        long usec = t.getNano() / 1000;
        // HID usage page 7: what a USB keyboard's MSC_SCAN carries (value only informative here)
        write(new InputEvent(sec, usec, InputEvent.EV_MSC, 4, 0x70000 + code));
        write(new InputEvent(sec, usec, InputEvent.EV_KEY, code, InputEvent.PRESS));
        write(new InputEvent(sec, usec, InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0));
        write(new InputEvent(sec, usec + 60_000, InputEvent.EV_KEY, code, InputEvent.RELEASE));
        write(new InputEvent(sec, usec + 60_000, InputEvent.EV_SYN, InputEvent.SYN_REPORT, 0));
        keys++;
    }

    /**
     * Types {@code keys}: '0'-'9', '.', '\n' Enter, '\b' Backspace, '*' cancel, '+' QR, '-' reverse.
     *
     * @throws IllegalArgumentException naming a character the keypad has no key for
     */
    public synchronized void type(String keys) throws IOException {
        for (char c : keys.toCharArray()) {
            press(keyFor(c));
        }
    }

    static KeypadKey keyFor(char c) {
        for (KeypadKey k : KeypadKey.values()) {
            if (k.symbol() == c) {
                return k;
            }
        }
        throw new IllegalArgumentException("the keypad has no key for '" + c + "'");
    }

    private void write(InputEvent e) throws IOException {
        fifo.write(EvdevDecoder.encode(recordSize, e));
    }

    /** Closes the FIFO (the daemon sees its keypad unplugged) and removes it. */
    @Override
    public void close() {
        try {
            fifo.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: start() replaces a stale FIFO
        }
    }
}
