package com.onecard.pos.terminal.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;

/**
 * One client of the control socket, as the server's I/O thread sees it: the bytes of the request
 * being read (never more than the line limit), the answer being written, and the times the
 * timeouts are judged by. Only the I/O thread touches it.
 */
final class ControlConnection {
    /** What to do after {@link #takeLine}: a line is ready, more bytes are needed, or the line is too long. */
    enum LineState { READY, NEED_MORE, TOO_LONG }

    final SocketChannel ch;
    final SelectionKey key;
    final String name;
    final UserPrincipal kernelUser;
    final boolean privileged;
    ControlPeer peer;
    /** A request is with a worker; nothing more is read until its answer is written. */
    boolean busy;
    boolean closeAfterWrite;
    ByteBuffer out;
    long writeDeadlineNs;
    long lastActivityNs;
    /** When the first byte of the request now being read arrived. */
    long lineStartedNs;
    /** After a last answer (e.g. "too long"): input is read and thrown away until then, so the client sees the answer, not a reset. */
    long drainUntilNs;
    private byte[] buf = new byte[1024];
    private int len;
    private final int maxLine;
    private String line;

    ControlConnection(SocketChannel ch, SelectionKey key, String name, ControlPeer peer, UserPrincipal kernelUser,
                      boolean privileged, int maxLine, long nowNs) {
        this.ch = ch;
        this.key = key;
        this.name = name;
        this.peer = peer;
        this.kernelUser = kernelUser;
        this.privileged = privileged;
        this.maxLine = maxLine;
        this.lastActivityNs = nowNs;
    }

    /**
     * Reads what the socket has, at most up to the line limit plus one byte, so that a client
     * sending an endless line costs this connection {@code maxLine} bytes and no more.
     *
     * @return bytes read, -1 at end of stream
     */
    int read(long nowNs) throws IOException {
        if (len == buf.length) {
            if (buf.length > maxLine) {
                return 0;
            }
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxLine + 1));
        }
        int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
        if (n > 0) {
            if (len == 0) {
                lineStartedNs = nowNs;
            }
            len += n;
            lastActivityNs = nowNs;
        }
        return n;
    }

    /** Bytes still to throw away before a draining connection is closed anyway. */
    long drainBudget;

    /** Reads and discards input while draining; -1 at end of stream or when the budget is spent. */
    int discard(ByteBuffer scratch) throws IOException {
        scratch.clear();
        int n = ch.read(scratch);
        drainBudget -= Math.max(n, 0);
        return drainBudget < 0 ? -1 : n;
    }

    boolean draining() {
        return drainUntilNs != 0;
    }

    /** Looks for a complete line in what was read; READY leaves it in {@link #line()}. */
    LineState takeLine(long nowNs) {
        for (int i = 0; i < len; i++) {
            if (buf[i] == '\n') {
                if (i > maxLine) {
                    return LineState.TOO_LONG;
                }
                int end = i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
                line = new String(buf, 0, end, StandardCharsets.UTF_8);
                System.arraycopy(buf, i + 1, buf, 0, len - i - 1);
                len -= i + 1;
                lineStartedNs = nowNs;
                return LineState.READY;
            }
        }
        return len > maxLine ? LineState.TOO_LONG : LineState.NEED_MORE;
    }

    String line() {
        return line;
    }

    /** Bytes of an unfinished request are waiting. */
    boolean partial() {
        return len > 0;
    }

    /** Neither working on a request nor writing an answer: may be closed to make room. */
    boolean idle() {
        return !busy && out == null;
    }
}
