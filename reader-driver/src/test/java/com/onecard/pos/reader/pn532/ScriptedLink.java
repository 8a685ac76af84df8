package com.onecard.pos.reader.pn532;

import com.onecard.pos.reader.serial.ReaderDisconnectedException;
import com.onecard.pos.reader.serial.SerialLink;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A fake serial link: every write is recorded and handed to a script that returns the bytes
 * the "chip" answers with (or null for silence). Reads time out instantly when nothing is queued.
 */
final class ScriptedLink implements SerialLink {
    final List<byte[]> written = new ArrayList<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
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
        byte[] next = pending.poll();
        if (next == null) {
            try {
                Thread.sleep(Math.min(5, Math.max(1, timeout.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        System.arraycopy(next, 0, buf, 0, next.length);
        return next.length;
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
