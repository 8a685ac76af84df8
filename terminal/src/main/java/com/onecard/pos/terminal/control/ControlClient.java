package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Client side of the control socket, used by posctl and the simulator. Each request names this
 * process's pid (the daemon records it in its audit log after checking it against the kernel's
 * credentials of the connection). The daemon closes a connection idle for
 * {@link ControlServer.Limits#idleTimeout}; this client opens a new one before a request when its
 * connection has been idle nearly that long, or when writing finds it closed.
 */
public final class ControlClient implements AutoCloseable {
    private static final long REOPEN_AFTER_IDLE_NS =
            ControlServer.Limits.DEFAULT.idleTimeout().toNanos() - java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private final ObjectMapper json = new ObjectMapper();
    private final Path path;
    private SocketChannel ch;
    private BufferedReader in;
    private long lastUseNs;

    public ControlClient(Path path) throws IOException {
        this.path = path;
        open();
    }

    private void open() throws IOException {
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new IOException("cannot reach the daemon's control socket " + path + " (" + e.getMessage()
                    + "); is the daemon running? try: systemctl status onecard-pos", e);
        }
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        lastUseNs = System.nanoTime();
    }

    public ObjectNode request(String cmd) {
        ObjectNode n = json.createObjectNode();
        n.put("v", ControlServer.PROTOCOL_VERSION);
        n.put("cmd", cmd);
        n.put("pid", ProcessHandle.current().pid());
        return n;
    }

    /** Sends one request and waits for its response line. */
    public JsonNode call(ObjectNode request) throws IOException {
        byte[] bytes = (json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        if (System.nanoTime() - lastUseNs > REOPEN_AFTER_IDLE_NS) {
            ch.close();
            open();
        }
        try {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
        } catch (IOException closedByDaemon) {
            // nothing of this request reached the daemon: a new connection is safe
            ch.close();
            open();
            ch.write(java.nio.ByteBuffer.wrap(bytes));
        }
        String line = in.readLine();
        lastUseNs = System.nanoTime();
        if (line == null) {
            throw new IOException("daemon closed the control socket " + path + " without answering");
        }
        return json.readTree(line);
    }

    public JsonNode call(String cmd) throws IOException {
        return call(request(cmd));
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
