package com.onecard.pos.terminal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
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
import com.onecard.pos.terminal.testutil.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control socket on a real Unix domain socket: bad requests get clear errors; no client, however
 * rude, takes the socket away from the others (an endless line, idle crowds, a client that never
 * reads its answers, clients that wait for sales); every command carries its sender's identity.
 */
class ControlServerIT {
    /** Small limits so that the timeouts are seen in a test's time. */
    static final ControlServer.Limits LIMITS = new ControlServer.Limits(64 * 1024, Duration.ofMillis(600),
            Duration.ofSeconds(30), Duration.ofMillis(800), 8, 2, 2, 3, Duration.ofMillis(200), 4);

    @TempDir
    Path dir;
    ControlServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final ObjectMapper json = new ObjectMapper();
    final AtomicReference<ControlPeer> lastPeer = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = new ControlServer(dir.resolve("c.sock"), "", new ControlHandler() {
            @Override
            public com.fasterxml.jackson.databind.node.ObjectNode handle(String cmd, JsonNode req, ControlPeer peer)
                    throws ControlException {
                lastPeer.set(peer);
                var n = json.createObjectNode();
                n.put("ok", true);
                switch (cmd) {
                    case "echo" -> n.set("req", req);
                    case "big" -> n.put("data", "x".repeat(1 << 20));
                    case "slow", "wait" -> {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    case "boom" -> throw new IllegalStateException("internal detail that must not reach the client");
                    default -> throw new ControlException("unknown command '" + cmd + "'");
                }
                return n;
            }

            @Override
            public boolean waits(String cmd) {
                return cmd.equals("wait");
            }
        }, LIMITS);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(server.path()));
        return ch;
    }

    private JsonNode raw(String line) throws Exception {
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            return json.readTree(in.readLine());
        }
    }

    /** An echo from a new client; a "busy" refusal is tried again until a deadline, as posctl's user would. */
    private JsonNode echo() throws Exception {
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until(Duration.ofSeconds(10), () -> {
            try (ControlClient c = new ControlClient(server.path())) {
                last.set(c.call("echo"));
            }
            return last.get().path("ok").asBoolean();
        });
        return last.get();
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        assertThat(Await.until(Duration.ofSeconds(10), condition::getAsBoolean)).as(what).isTrue();
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
        JsonNode boom = raw("{\"cmd\":\"boom\"}");
        assertThat(boom.path("error").asText()).contains("boom failed inside the daemon").doesNotContain("Exception", "internal detail");
        JsonNode ok = raw("{\"v\":1,\"cmd\":\"echo\"}");
        assertThat(ok.path("ok").asBoolean()).isTrue();
        assertThat(ok.path("v").asInt()).isEqualTo(1);
    }

    @Test
    void anEndlessLineIsCutAtTheLimitAndTheSocketServesOthers() throws Exception {
        try (SocketChannel flood = connect()) {
            Thread sender = new Thread(() -> {
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) 'a');
                try {
                    for (int i = 0; i < 17; i++) {
                        flood.write(ByteBuffer.wrap(chunk));
                    }
                } catch (IOException expected) {
                    // the daemon closes the connection at the limit
                }
            }, "flood");
            sender.start();
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(flood), StandardCharsets.UTF_8));
            JsonNode err = json.readTree(in.readLine());
            assertThat(err.path("error").asText()).contains("longer than 65536 bytes");
            // closed after the error: an end of stream, or a reset when the flood was still arriving
            String after;
            try {
                after = in.readLine();
            } catch (java.net.SocketException reset) {
                after = null;
            }
            assertThat(after).as("connection closed after the error").isNull();
            sender.join(10_000);
            assertThat(sender.isAlive()).as("the sender was cut off, not left blocked").isFalse();
        }
        assertThat(server.stats().tooLong()).isEqualTo(1);
        assertThat(echo().path("ok").asBoolean()).isTrue();
    }

    @Test
    void aLineJustUnderTheLimitIsServed() throws Exception {
        String pad = "a".repeat(LIMITS.maxLineBytes() - 40);
        JsonNode r = raw("{\"cmd\":\"echo\",\"x\":\"" + pad + "\"}");
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("req").path("x").asText()).hasSize(pad.length());
    }

    @Test
    void fiftyIdleClientsDoNotLockOutANewOne() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                idle.add(connect());
            }
            await("the server has taken the idle connections in", () -> server.stats().accepted() >= 50);
            for (int i = 0; i < 5; i++) {
                assertThat(echo().path("ok").asBoolean()).isTrue();
            }
            assertThat(server.stats().open()).isLessThanOrEqualTo(LIMITS.maxConnections() + LIMITS.privilegedReserve());
            assertThat(server.stats().evicted() + server.stats().refused()).isGreaterThanOrEqualTo(50 - LIMITS.maxConnections() - LIMITS.privilegedReserve());
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAndBlocksNobody() throws Exception {
        try (SocketChannel greedy = connect()) {
            byte[] req = "{\"cmd\":\"big\"}\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20; i++) {
                greedy.write(ByteBuffer.wrap(req));
            }
            assertThat(echo().path("ok").asBoolean()).isTrue();
            await("the greedy client is closed", () -> server.stats().timedOut() >= 1);
            assertThat(echo().path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void anUnfinishedRequestIsDroppedAfterTheReadTimeout() throws Exception {
        try (SocketChannel half = connect()) {
            half.write(ByteBuffer.wrap("{\"cmd\":\"ec".getBytes(StandardCharsets.UTF_8)));
            await("the half line is dropped", () -> server.stats().timedOut() >= 1);
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(half), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void clientsWaitingForSalesNeverHoldTheThreadsOfOtherCommands() throws Exception {
        List<SocketChannel> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < LIMITS.maxWaiting() + 2; i++) {
                SocketChannel w = connect();
                w.write(ByteBuffer.wrap("{\"cmd\":\"wait\"}\n".getBytes(StandardCharsets.UTF_8)));
                waiting.add(w);
                if (i == LIMITS.maxWaiting() - 1) {
                    await("the first ones are waiting", () -> server.stats().waiting() == LIMITS.maxWaiting());
                }
            }
            // the ones over the cap are told so at once
            for (SocketChannel over : waiting.subList(LIMITS.maxWaiting(), waiting.size())) {
                var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(over), StandardCharsets.UTF_8));
                assertThat(json.readTree(in.readLine()).path("error").asText()).contains("too many control clients are waiting");
            }
            assertThat(echo().path("ok").asBoolean()).isTrue();
        } finally {
            for (SocketChannel c : waiting) {
                c.close();
            }
        }
    }

    @Test
    void aStuckCommandDoesNotBlockOthers() throws Exception {
        try (SocketChannel stuck = connect()) {
            stuck.write(ByteBuffer.wrap("{\"cmd\":\"slow\"}\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(echo().path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void everyCommandCarriesItsSendersKernelIdentityAndCheckedPid() throws Exception {
        echo();
        ControlPeer p = lastPeer.get();
        String me = Files.getOwner(Path.of("/proc/self")).getName();
        assertThat(p.user()).isEqualTo(me);
        assertThat(p.uid()).isEqualTo(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
        assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(p.describe()).contains("pid " + ProcessHandle.current().pid());

        raw("{\"cmd\":\"echo\",\"pid\":999999999}");
        assertThat(lastPeer.get().pid()).isZero();
        assertThat(lastPeer.get().note()).contains("claimed pid 999999999");
        assertThat(lastPeer.get().user()).isEqualTo(me);
    }

    @Test
    void aPidOfAnotherUsersProcessIsNotRecorded() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a process as nobody");
        Process other = new ProcessBuilder("runuser", "-u", "nobody", "--", "sleep", "30").start();
        try {
            await("nobody's process is up", () -> {
                try {
                    return Files.getOwner(Path.of("/proc", Long.toString(other.pid()))).getName().equals("nobody")
                            || other.children().findAny().isPresent();
                } catch (IOException e) {
                    return false;
                }
            });
            long pid = other.children().findFirst().map(ProcessHandle::pid).orElse(other.pid());
            await("the sleep runs as nobody", () -> {
                try {
                    return Files.getOwner(Path.of("/proc", Long.toString(pid))).getName().equals("nobody");
                } catch (IOException e) {
                    return false;
                }
            });
            raw("{\"cmd\":\"echo\",\"pid\":" + pid + "}");
            assertThat(lastPeer.get().pid()).isZero();
            assertThat(lastPeer.get().note()).contains("is not a process of root");
        } finally {
            other.destroy();
            other.children().forEach(ProcessHandle::destroy);
        }
    }
}
