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

/** Client side of the control socket, used by posctl and the simulator. */
public final class ControlClient implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final Path path;
    private final SocketChannel ch;
    private final BufferedReader in;

    public ControlClient(Path path) throws IOException {
        this.path = path;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new IOException("cannot reach the daemon's control socket " + path + " (" + e.getMessage()
                    + "); is the daemon running? try: systemctl status onecard-pos", e);
        }
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
    }

    public ObjectNode request(String cmd) {
        ObjectNode n = json.createObjectNode();
        n.put("v", ControlServer.PROTOCOL_VERSION);
        n.put("cmd", cmd);
        return n;
    }

    /** Sends one request and waits for its response line. */
    public JsonNode call(ObjectNode request) throws IOException {
        ch.write(java.nio.ByteBuffer.wrap((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8)));
        String line = in.readLine();
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
