package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import com.onecard.pos.reader.serial.SerialLink;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake serial link: every write is recorded and handed to a script that returns the bytes
 * the "chip" answers with (or null for silence). A read waits (at most 5 ms) for queued bytes, like a read timeout on a silent line.
 */
final class ScriptedLink implements SerialLink {
    final List<byte[]> written = new ArrayList<>();
    private final LinkedBlockingQueue<byte[]> pending = new LinkedBlockingQueue<>();
    private final Function<byte[], byte[]> script;
    boolean gone;

    ScriptedLink(Function<byte[], byte[]> script) {
        this.script = script;
    }

    void queue(byte[] bytes) {
        pending.add(bytes);
    }

    @Override
    public String port() {
        return "/dev/scripted";
    }

    @Override
    public int read(byte[] buf, Duration timeout) throws IOException {
        if (gone) {
            throw new ReaderDisconnectedException("serial port /dev/scripted is gone");
        }
        byte[] next;
        try {
            // a real read waits for bytes up to its timeout; a short cap keeps silent scripts quick
            next = pending.poll(Math.min(5, Math.max(1, timeout.toMillis())), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (next == null) {
            return 0;
        }
        System.arraycopy(next, 0, buf, 0, next.length);
        return next.length;
    }

    @Override
    public int available() throws IOException {
        if (gone) {
            throw new ReaderDisconnectedException("serial port /dev/scripted is gone");
        }
        byte[] next = pending.peek();
        return next == null ? 0 : next.length;
    }

    @Override
    public void write(byte[] data) throws IOException {
        if (gone) {
            throw new ReaderDisconnectedException("serial port /dev/scripted is gone");
        }
        written.add(data.clone());
        byte[] answer = script.apply(data);
        if (answer != null) {
            pending.add(answer);
        }
    }

    @Override
    public void close() {
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
