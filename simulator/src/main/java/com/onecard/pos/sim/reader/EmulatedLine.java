package com.onecard.pos.sim.reader;

import com.onecard.pos.reader.serial.JSerialCommLink;
import com.onecard.pos.reader.serial.SerialLink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/** The serial line the emulators share: wire time at the baud rate, reopening a pty that came back. */
final class EmulatedLine {
    private EmulatedLine() {
    }

    /** Writes {@code bytes} after their time on the wire at {@code baud} (8N1: 10 bits a byte). */
    static void send(SerialLink l, byte[] bytes, int baud) throws IOException {
        long deadline = System.nanoTime() + bytes.length * 10L * 1_000_000_000L / baud;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left); // may return early: park again until the bytes' time has passed
        }
        l.write(bytes);
    }

    /**
     * Opens {@code path} if it exists; otherwise (or when the open fails) waits 50 ms and returns
     * null, so an emulator loop can keep trying while the pty is unplugged.
     */
    static SerialLink tryOpen(String path, int baud) {
        if (Files.exists(Path.of(path))) {
            try {
                return JSerialCommLink.open(path, baud);
            } catch (IOException e) {
                // the other end is not back yet; try again below
            }
        }
        LockSupport.parkNanos(50_000_000L);
        return null;
    }

    /** Waits up to 2 s for an emulator thread to end, unless called from that thread. */
    static void join(Thread t) {
        if (Thread.currentThread() != t) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
