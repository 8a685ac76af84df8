package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control socket: a Unix domain socket (mode 0660, optional group), one JSON request and
 * one JSON response per line. Each client has its own thread, so a slow or stuck client never
 * blocks a sale; commands reach the terminal thread through {@link ControlHandler}.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    public static final int PROTOCOL_VERSION = 1;
    private static final int MAX_LINE = 64 * 1024;

    private final Path path;
    private final ControlHandler handler;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel server;
    private final ExecutorService clients;
    private final Thread acceptor;
    private final AtomicInteger clientNo = new AtomicInteger();
    private volatile boolean closed;

    public ControlServer(Path path, String group, ControlHandler handler) throws IOException {
        this.path = path;
        this.handler = handler;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        if (group != null && !group.isBlank()) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        }
        clients = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "control-client-" + clientNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                clients.execute(() -> serve(ch));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control socket {}: accept failed: {}", path, e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(ch)) {
            String line;
            while ((line = in.readLine()) != null) {
                ObjectNode resp = line.length() > MAX_LINE ? error("request longer than " + MAX_LINE + " bytes") : answer(line);
                resp.put("v", PROTOCOL_VERSION);
                out.write((json.writeValueAsString(resp) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            log.debug("control client gone: {}", e.getMessage());
        }
    }

    private ObjectNode answer(String line) {
        JsonNode req;
        try {
            req = json.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error("malformed JSON: " + e.getOriginalMessage());
        }
        if (req == null || !req.isObject() || !req.hasNonNull("cmd") || !req.get("cmd").isTextual()) {
            return error("request must be a JSON object with a string field \"cmd\"");
        }
        int v = req.path("v").asInt(PROTOCOL_VERSION);
        if (v != PROTOCOL_VERSION) {
            return error("unsupported control protocol version " + v + " (this daemon speaks " + PROTOCOL_VERSION + ")");
        }
        try {
            return handler.handle(req.get("cmd").asText(), req);
        } catch (ControlException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("control command {} failed", req.get("cmd").asText(), e);
            return error(req.get("cmd").asText() + " failed: " + e);
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
        try {
            server.close();
        } catch (IOException ignored) {
            // the socket file is removed below either way
        }
        clients.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("removing {}: {}", path, e.getMessage());
        }
    }
}
