package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The control socket on a real Unix domain socket: bad requests get clear errors; a stuck client blocks nobody. */
class ControlServerIT {
    @TempDir
    Path dir;
    ControlServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        server = new ControlServer(dir.resolve("c.sock"), "", (cmd, req) -> {
            switch (cmd) {
                case "echo" -> {
                    var n = json.createObjectNode();
                    n.put("ok", true);
                    n.set("req", req);
                    return n;
                }
                case "slow" -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    var n = json.createObjectNode();
                    n.put("ok", true);
                    return n;
                }
                default -> throw new ControlException("unknown command '" + cmd + "'");
            }
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private JsonNode raw(String line) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.path()));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            return json.readTree(in.readLine());
        }
    }

    @Test
    void socketIsGroupReadableOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path()))).isEqualTo("rw-rw----");
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertThat(raw("{not json").path("error").asText()).startsWith("malformed JSON");
        assertThat(raw("[1,2]").path("error").asText()).contains("\"cmd\"");
        assertThat(raw("{\"cmd\": 5}").path("error").asText()).contains("\"cmd\"");
        assertThat(raw("{\"cmd\":\"fly\"}").path("error").asText()).contains("unknown command 'fly'");
        assertThat(raw("{\"v\":9,\"cmd\":\"echo\"}").path("error").asText()).contains("version 9");
        assertThat(raw("{\"cmd\":\"echo\",\"x\":\"" + "a".repeat(70_000) + "\"}").path("error").asText()).contains("longer than");
        JsonNode ok = raw("{\"v\":1,\"cmd\":\"echo\"}");
        assertThat(ok.path("ok").asBoolean()).isTrue();
        assertThat(ok.path("v").asInt()).isEqualTo(1);
    }

    @Test
    void aStuckClientDoesNotBlockOthers() throws Exception {
        try (SocketChannel stuck = SocketChannel.open(StandardProtocolFamily.UNIX);
             SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.connect(UnixDomainSocketAddress.of(server.path()));
            stuck.write(ByteBuffer.wrap("{\"cmd\":\"slow\"}\n".getBytes(StandardCharsets.UTF_8)));
            silent.connect(UnixDomainSocketAddress.of(server.path()));
            silent.write(ByteBuffer.wrap("{\"cmd\":\"ec".getBytes(StandardCharsets.UTF_8))); // half a line, never finished
            try (ControlClient c = new ControlClient(server.path())) {
                assertThat(c.call("echo").path("ok").asBoolean()).isTrue();
            }
        }
    }
}
