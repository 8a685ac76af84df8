package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Client side of the control socket, used by posctl and the simulator. Each request names this
 * process's pid (the daemon records it in its audit log after checking it against the kernel's
 * credentials of the connection). The daemon closes a connection idle for
 * {@link ControlServer.Limits#idleTimeout}; this client opens a new one before a request when its
 * connection has been idle nearly that long, or when writing finds it closed.
 * <p>
 * Every call has a deadline: a daemon that accepts the connection but never answers (wedged
 * terminal thread, stopped process) is reported as {@link ControlTimeoutException} after
 * {@link #ANSWER_DEADLINE} plus whatever the request itself asks the daemon to wait
 * ({@code timeout_ms}), instead of hanging the technician's shell or the health check.
 */
public final class ControlClient implements AutoCloseable {
    /** How long the daemon may take to answer a request that does not wait for anything. */
    public static final Duration ANSWER_DEADLINE = Duration.ofSeconds(20);
    /** Longest answer line read (a year of journal rows is about 100 MB). */
    static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;
    private static final long REOPEN_AFTER_IDLE_NS =
            ControlServer.Limits.DEFAULT.idleTimeout().toNanos() - java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private final ObjectMapper json = new ObjectMapper();
    private final Path path;
    private SocketChannel ch;
    private Selector selector;
    private final ByteBuffer readBuf = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long lastUseNs;

    /** The daemon accepted the request but did not answer in time. */
    public static final class ControlTimeoutException extends IOException {
        ControlTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * The daemon closed the connection before it answered. It reads a connection before closing
     * it as idle (ControlServer), so a request it closed on was never taken: a client may send it
     * once more on a fresh connection.
     */
    public static final class ControlClosedException extends IOException {
        ControlClosedException(String message) {
            super(message);
        }
    }

    public ControlClient(Path path) throws IOException {
        this.path = path;
        open();
    }

    private void open() throws IOException {
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new IOException("cannot reach the daemon's control socket " + path + " (" + e.getMessage()
                    + "); is the daemon running? try: systemctl status onecard-pos", e);
        }
        readBuf.clear().flip();
        pending.reset();
        lastUseNs = System.nanoTime();
    }

    private void reopen() throws IOException {
        closeQuietly();
        open();
    }

    public ObjectNode request(String cmd) {
        ObjectNode n = json.createObjectNode();
        n.put("v", ControlServer.PROTOCOL_VERSION);
        n.put("cmd", cmd);
        n.put("pid", ProcessHandle.current().pid());
        return n;
    }

    /**
     * Sends one request and waits for its response line, at most {@link #ANSWER_DEADLINE} plus the
     * request's own {@code timeout_ms}.
     *
     * @throws ControlTimeoutException when no answer came in time
     * @throws IOException             when the daemon closed the socket or sent no JSON
     */
    public JsonNode call(ObjectNode request) throws IOException {
        long waits = Math.max(0, request.path("timeout_ms").asLong(0));
        return call(request, ANSWER_DEADLINE.plusMillis(waits));
    }

    /** Sends one request and waits for its response line, at most {@code deadline}. */
    public JsonNode call(ObjectNode request, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        byte[] bytes = (json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        if (System.nanoTime() - lastUseNs > REOPEN_AFTER_IDLE_NS) {
            reopen();
        }
        try {
            write(ByteBuffer.wrap(bytes), end, request);
        } catch (ControlTimeoutException e) {
            throw e;
        } catch (IOException closedByDaemon) {
            // nothing of this request reached the daemon: a new connection is safe
            reopen();
            write(ByteBuffer.wrap(bytes), end, request);
        }
        String line = readLine(end, request);
        lastUseNs = System.nanoTime();
        return json.readTree(line);
    }

    public JsonNode call(String cmd) throws IOException {
        return call(request(cmd));
    }

    private void write(ByteBuffer out, long end, ObjectNode request) throws IOException {
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                await(SelectionKey.OP_WRITE, end, request);
            }
        }
    }

    private String readLine(long end, ObjectNode request) throws IOException {
        while (true) {
            while (readBuf.hasRemaining()) {
                byte b = readBuf.get();
                if (b == '\n') {
                    String line = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return line;
                }
                pending.write(b);
                if (pending.size() > MAX_ANSWER_BYTES) {
                    throw new IOException("the daemon's answer on " + path + " is over " + MAX_ANSWER_BYTES / (1024 * 1024) + " MB");
                }
            }
            readBuf.clear();
            int n = ch.read(readBuf);
            readBuf.flip();
            if (n < 0) {
                throw new ControlClosedException("daemon closed the control socket " + path + " without answering");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, end, request);
            }
        }
    }

    private void await(int op, long end, ObjectNode request) throws IOException {
        if (Thread.interrupted()) {
            throw new java.io.InterruptedIOException("interrupted while waiting for the daemon's answer on " + path);
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
            throw new ControlTimeoutException("the daemon did not answer '" + request.path("cmd").asText() + "' on " + path
                    + " in time; its terminal thread may be stuck: systemctl status onecard-pos, journalctl -u onecard-pos");
        }
        try {
            SelectionKey key = ch.keyFor(selector);
            if (key == null) {
                throw new java.nio.channels.ClosedChannelException();
            }
            key.interestOps(op);
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        } catch (java.nio.channels.ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
            // closed from another thread (the simulator stopping a daemon): what a blocking read reports
            throw new java.nio.channels.AsynchronousCloseException();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // a connection the daemon already closed
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            ch.close();
        }
    }
}
