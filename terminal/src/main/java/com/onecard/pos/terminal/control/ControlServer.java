package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control socket: a Unix domain socket (mode 0660, optional group), one JSON request and
 * one JSON response per line, one request at a time per connection.
 *
 * <p>What no client can do to the daemon: one I/O thread reads every connection without blocking
 * and keeps at most {@link Limits#maxLineBytes} of a request (a longer line is answered with an
 * error and the connection closed); an unfinished request is dropped after
 * {@link Limits#partialLineTimeout}, an idle connection after {@link Limits#idleTimeout}, a client
 * that does not read its answer after {@link Limits#writeTimeout}. Connections are limited per user
 * and in all, with room kept for the daemon's own user and root, who run the health check (see
 * {@link #admit}). Commands run on a small worker pool; commands that wait
 * for an outside event ({@link ControlHandler#waits}) on a pool of their own, at most
 * {@link Limits#maxWaiting} at once, so they never hold the threads that answer the health check.
 * The kernel's credentials of each connection ({@code SO_PEERCRED}) are handed to the handler.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    public static final int PROTOCOL_VERSION = 1;
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(1);
    /** A flood is not read for long: at most this much after the last answer. */
    private static final long DRAIN_BYTES = 256 * 1024;

    /**
     * @param maxLineBytes       longest request line, bytes
     * @param partialLineTimeout an unfinished request line is dropped after this
     * @param idleTimeout        a connection with no request is closed after this
     * @param writeTimeout       a client must take its answer within this
     * @param maxConnections     open connections before idle ones are closed to make room
     * @param privilegedReserve  connections beyond the limit for the daemon's own user and root
     * @param workers            threads for ordinary commands
     * @param maxWaiting         commands waiting for an outside event at once
     * @param minIdleToEvict     a connection idle for less than this is not closed to make room for another user
     * @param maxPerUser         connections one user other than the daemon's own and root may hold
     */
    public record Limits(int maxLineBytes, Duration partialLineTimeout, Duration idleTimeout, Duration writeTimeout,
                         int maxConnections, int privilegedReserve, int workers, int maxWaiting, Duration minIdleToEvict,
                         int maxPerUser) {
        public static final Limits DEFAULT = new Limits(64 * 1024, Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofSeconds(10), 32, 4, 4, 16, Duration.ofSeconds(1), 8);
    }

    /** Counters since start, for {@code posctl status}. */
    public record Stats(int open, int waiting, long accepted, long evicted, long refused, long tooLong, long timedOut) {
    }

    private final Path path;
    private final ControlHandler handler;
    private final Limits limits;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread io;
    private final ExecutorService workers;
    private final ExecutorService waiting;
    private final AtomicInteger waitingNow = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> ioTasks = new ConcurrentLinkedQueue<>();
    private final List<ControlConnection> conns = new ArrayList<>();
    private final UserPrincipal self;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong tooLong = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final ByteBuffer refusal;
    private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    private volatile boolean closed;

    public ControlServer(Path path, String group, ControlHandler handler) throws IOException {
        this(path, group, handler, Limits.DEFAULT);
    }

    public ControlServer(Path path, String group, ControlHandler handler, Limits limits) throws IOException {
        this.path = path;
        this.handler = handler;
        this.limits = limits;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        if (group != null && !group.isBlank()) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        }
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        self = Files.getOwner(Path.of("/proc/self"));
        refusal = ByteBuffer.wrap(line(error("control socket busy: every connection is working on a command; try again"))).asReadOnlyBuffer();
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(limits.workers(), r -> daemonThread(r, "control-worker-" + n.incrementAndGet()));
        waiting = Executors.newCachedThreadPool(r -> daemonThread(r, "control-wait-" + n.incrementAndGet()));
        io = daemonThread(this::ioLoop, "control-io");
        io.start();
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public Path path() {
        return path;
    }

    public Stats stats() {
        return new Stats(open.get(), Math.max(0, waitingNow.get()), accepted.get(), evicted.get(), refused.get(), tooLong.get(), timedOut.get());
    }

    // ---- I/O thread -----------------------------------------------------------------------------

    private void ioLoop() {
        while (!closed) {
            try {
                selector.select(250);
                Runnable task;
                while ((task = ioTasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                    } else if (k.attachment() instanceof ControlConnection c) {
                        if (k.isWritable()) {
                            flush(c);
                        }
                        if (k.isValid() && k.isReadable()) {
                            readable(c);
                        }
                    }
                }
                selector.selectedKeys().clear();
                sweep(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("control socket {}: {}", path, e.toString());
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            accepted.incrementAndGet();
            ch.configureBlocking(false);
            ControlPeer peer;
            UserPrincipal user = null;
            try {
                var cred = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
                user = cred.user();
                peer = ControlPeer.of(cred.user(), cred.group());
            } catch (IOException | UnsupportedOperationException e) {
                peer = ControlPeer.unknown("no peer credentials: " + e.getMessage());
            }
            boolean privileged = user != null && (user.equals(self) || peer.uid() == 0);
            if (!admit(peer, privileged)) {
                refused.incrementAndGet();
                log.warn("control socket {}: refused {} ({} connections open, none idle to close)", path, peer.describe(), conns.size());
                ch.write(refusal.duplicate());
                ch.close();
                continue;
            }
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            ControlConnection c = new ControlConnection(ch, key, "control-" + accepted.get(), peer, user, privileged,
                    limits.maxLineBytes(), System.nanoTime());
            key.attach(c);
            conns.add(c);
            open.set(conns.size());
            log.debug("{}: connected {}", c.name, peer.describe());
        }
    }

    /**
     * Makes room for a new client, or says no. A user other than the daemon's own and root may hold
     * {@link Limits#maxPerUser} connections (its own oldest idle one is closed for a new one) and
     * share {@link Limits#maxConnections}; at that limit the oldest idle connection of such a user
     * is closed if it has been idle {@link Limits#minIdleToEvict}. The daemon's own user (the health
     * check) and root are never turned away while any connection is idle: they may use
     * {@link Limits#privilegedReserve} more, then close the oldest idle connection of anyone.
     */
    private boolean admit(ControlPeer peer, boolean privileged) {
        if (!privileged) {
            List<ControlConnection> mine = conns.stream().filter(c -> !c.privileged && c.peer.user().equals(peer.user())).toList();
            if (mine.size() >= limits.maxPerUser()) {
                return evictOldestIdle(mine, 0);
            }
            if (conns.size() < limits.maxConnections()) {
                return true;
            }
            return evictOldestIdle(conns.stream().filter(c -> !c.privileged).toList(), limits.minIdleToEvict().toNanos());
        }
        if (conns.size() < limits.maxConnections() + limits.privilegedReserve()) {
            return true;
        }
        return evictOldestIdle(conns, 0);
    }

    /**
     * Closes the least recently active idle connection among {@code candidates} idle for at least
     * {@code minIdleNs}. A candidate is read first: a request already waiting in its socket makes
     * it busy, not a victim, so a client is not cut off between writing a request and its answer.
     */
    private boolean evictOldestIdle(List<ControlConnection> candidates, long minIdleNs) {
        long now = System.nanoTime();
        var closing = candidates.stream().filter(ControlConnection::draining).findFirst();
        if (closing.isPresent()) {
            close(closing.get());
            return true;
        }
        List<ControlConnection> idle = candidates.stream().filter(ControlConnection::idle)
                .sorted(Comparator.comparingLong(c -> c.lastActivityNs)).toList();
        for (ControlConnection c : idle) {
            if (now - c.lastActivityNs < minIdleNs) {
                break;
            }
            try {
                int n = c.read(now);
                if (n < 0) {
                    close(c);
                    return true;
                }
                if (n > 0) {
                    next(c);
                    continue;
                }
            } catch (IOException e) {
                close(c);
                return true;
            }
            evicted.incrementAndGet();
            log.info("{}: closed to make room for a new control client (idle, {})", c.name, c.peer.describe());
            close(c);
            return true;
        }
        return false;
    }

    private void readable(ControlConnection c) {
        try {
            if (c.draining()) {
                if (c.discard(scratch) < 0) {
                    close(c);
                }
                return;
            }
            int n = c.read(System.nanoTime());
            if (n < 0) {
                close(c);
                return;
            }
            next(c);
        } catch (IOException e) {
            log.debug("{}: read failed: {}", c.name, e.getMessage());
            close(c);
        }
    }

    /** Starts the next buffered request, if a whole one is there; otherwise reads on. */
    private void next(ControlConnection c) {
        long now = System.nanoTime();
        switch (c.takeLine(now)) {
            case READY -> dispatch(c, c.line());
            case TOO_LONG -> {
                tooLong.incrementAndGet();
                log.warn("{}: request longer than {} bytes from {}; connection closed", c.name, limits.maxLineBytes(), c.peer.describe());
                c.closeAfterWrite = true;
                c.key.interestOps(0);
                respond(c, error("request longer than " + limits.maxLineBytes() + " bytes; connection closed"));
            }
            case NEED_MORE -> c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void dispatch(ControlConnection c, String line) {
        c.busy = true;
        c.key.interestOps(0);
        JsonNode req;
        try {
            req = json.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            respond(c, error("malformed JSON: " + e.getOriginalMessage()));
            return;
        }
        if (req == null || !req.isObject() || !req.hasNonNull("cmd") || !req.get("cmd").isTextual()) {
            respond(c, error("request must be a JSON object with a string field \"cmd\""));
            return;
        }
        int v = req.path("v").asInt(PROTOCOL_VERSION);
        if (v != PROTOCOL_VERSION) {
            respond(c, error("unsupported control protocol version " + v + " (this daemon speaks " + PROTOCOL_VERSION + ")"));
            return;
        }
        String cmd = req.get("cmd").asText();
        c.peer = c.peer.withClaimedPid(req.path("pid").asLong(0), c.kernelUser);
        ControlPeer peer = c.peer;
        try {
            if (handler.waits(cmd)) {
                if (waitingNow.incrementAndGet() > limits.maxWaiting()) {
                    waitingNow.decrementAndGet();
                    respond(c, error("too many control clients are waiting (" + limits.maxWaiting() + "); try again later"));
                    return;
                }
                waiting.execute(() -> {
                    try {
                        answer(c, cmd, req, peer);
                    } finally {
                        waitingNow.decrementAndGet();
                    }
                });
            } else {
                workers.execute(() -> answer(c, cmd, req, peer));
            }
        } catch (RejectedExecutionException e) {
            close(c);
        }
    }

    /** Worker thread: runs the command and hands the answer back to the I/O thread. */
    private void answer(ControlConnection c, String cmd, JsonNode req, ControlPeer peer) {
        ObjectNode resp;
        try {
            resp = handler.handle(cmd, req, peer);
        } catch (ControlException e) {
            resp = error(e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("control command {} from {} failed", cmd, peer.describe(), e);
            resp = error(cmd + " failed inside the daemon; the daemon's log has the details");
        }
        ObjectNode r = resp;
        ioTasks.add(() -> respond(c, r));
        selector.wakeup();
    }

    private void respond(ControlConnection c, ObjectNode resp) {
        if (!c.ch.isOpen()) {
            return;
        }
        c.busy = true;
        c.out = ByteBuffer.wrap(line(resp));
        c.writeDeadlineNs = System.nanoTime() + limits.writeTimeout().toNanos();
        flush(c);
    }

    private byte[] line(ObjectNode resp) {
        resp.put("v", PROTOCOL_VERSION);
        try {
            return (json.writeValueAsString(resp) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("control answer cannot be written as JSON", e);
        }
    }

    private void flush(ControlConnection c) {
        try {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            c.out = null;
            c.busy = false;
            c.lastActivityNs = System.nanoTime();
            if (c.closeAfterWrite) {
                // the client may still be sending: read and drop its bytes for a moment, so that
                // it gets the answer and an end of stream rather than a connection reset
                c.ch.shutdownOutput();
                c.drainUntilNs = System.nanoTime() + DRAIN_NS;
                c.drainBudget = DRAIN_BYTES;
                c.key.interestOps(SelectionKey.OP_READ);
            } else {
                next(c);
            }
        } catch (IOException e) {
            log.debug("{}: write failed: {}", c.name, e.getMessage());
            close(c);
        }
    }

    private void sweep(long now) {
        for (ControlConnection c : List.copyOf(conns)) {
            String why = null;
            if (c.draining()) {
                if (now > c.drainUntilNs) {
                    close(c);
                }
                continue;
            }
            if (c.out != null && now > c.writeDeadlineNs) {
                why = "did not take its answer within " + limits.writeTimeout().toSeconds() + " s";
            } else if (c.idle() && c.partial() && now - c.lineStartedNs > limits.partialLineTimeout().toNanos()) {
                why = "did not finish its request within " + limits.partialLineTimeout().toSeconds() + " s";
            } else if (c.idle() && !c.partial() && now - c.lastActivityNs > limits.idleTimeout().toNanos()) {
                why = "idle for " + limits.idleTimeout().toSeconds() + " s";
            }
            if (why != null) {
                timedOut.incrementAndGet();
                log.info("{}: closed, client {} {}", c.name, c.peer.describe(), why);
                close(c);
            }
        }
    }

    private void close(ControlConnection c) {
        conns.remove(c);
        open.set(conns.size());
        c.key.cancel();
        try {
            c.ch.close();
        } catch (IOException e) {
            log.debug("{}: close: {}", c.name, e.getMessage());
        }
    }

    private ObjectNode error(String message) {
        ObjectNode n = json.createObjectNode();
        n.put("ok", false);
        n.put("error", message);
        return n;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            io.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        waiting.shutdownNow();
        for (ControlConnection c : List.copyOf(conns)) {
            close(c);
        }
        try {
            server.close();
            selector.close();
        } catch (IOException ignored) {
            // the socket file is removed below either way
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("removing {}: {}", path, e.getMessage());
        }
    }
}
