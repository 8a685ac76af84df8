package com.onecard.pos.terminal.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** posctl's side of the control socket: a daemon that accepts but never answers does not hang it. */
class ControlClientIT {
    @TempDir
    Path dir;

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aDaemonThatAcceptsButNeverAnswersTimesOutNamingTheCommand() throws Exception {
        Path sock = dir.resolve("wedged.sock");
        List<SocketChannel> accepted = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(server.accept()); // and never answer
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            }, "wedged-daemon");
            acceptor.start();
            try (ControlClient c = new ControlClient(sock)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> c.call(c.request("status"), Duration.ofMillis(300)))
                        .isInstanceOf(ControlClient.ControlTimeoutException.class)
                        .hasMessageContaining("did not answer 'status'").hasMessageContaining(sock.toString());
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            }
            acceptor.join(5000);
            for (SocketChannel ch : accepted) {
                ch.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void closingTheClientFromAnotherThreadEndsAWaitingCallWithAnIoError() throws Exception {
        Path sock = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            List<SocketChannel> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch requestRead = new java.util.concurrent.CountDownLatch(1);
            Thread acceptor = new Thread(() -> {
                try {
                    SocketChannel ch = server.accept();
                    accepted.add(ch);
                    // the request's first bytes: the call has sent it and goes on to wait for an answer that never comes
                    if (ch.read(java.nio.ByteBuffer.allocate(256)) > 0) {
                        requestRead.countDown();
                    }
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            }, "silent-daemon");
            acceptor.start();
            ControlClient c = new ControlClient(sock);
            var waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    c.call(c.request("status"), Duration.ofSeconds(30));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(requestRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the request reached the daemon")
                    .isTrue();
            c.close();
            assertThatThrownBy(() -> waiting.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.io.UncheckedIOException.class);
            acceptor.join(5000);
            for (SocketChannel ch : accepted) {
                ch.close();
            }
        }
    }

    @Test
    void theDeadlineGrowsByWhatTheRequestAsksTheDaemonToWait() throws Exception {
        Path sock = dir.resolve("slow.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread daemon = new Thread(() -> {
                try (SocketChannel ch = server.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(ch)));
                    in.readLine();
                    ch.write(java.nio.ByteBuffer.wrap("{\"ok\":true}\n".getBytes()));
                } catch (java.io.IOException e) {
                    // the test fails on its own assertion
                }
            }, "slow-daemon");
            daemon.start();
            try (ControlClient c = new ControlClient(sock)) {
                assertThat(c.call(c.request("await").put("timeout_ms", 60_000)).path("ok").asBoolean()).isTrue();
            }
            daemon.join(5000);
        }
    }
}
