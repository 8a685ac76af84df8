package com.onecard.pos.sim.attack;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A local user in the daemon's group, as its own process (JDK only, so that it can run as another
 * uid with nothing but its class file): sends a 17 MiB request line (until the daemon cuts it off),
 * then opens 50 connections and leaves them idle, and pipes requests with large answers that it
 * never reads. Prints "ready" when
 * all three are under way and keeps them until its standard input closes.
 */
public final class LocalAttacker {
    private LocalAttacker() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Thread flood = new Thread(() -> {
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            try (SocketChannel ch = connect(socket)) {
                ch.write(ByteBuffer.wrap("{\"cmd\":\"status\",\"x\":\"".getBytes(StandardCharsets.UTF_8)));
                for (int i = 0; i < 17; i++) {
                    ch.write(ByteBuffer.wrap(chunk));
                }
                System.out.println("flood sent");
            } catch (IOException e) {
                System.out.println("flood cut off: " + e.getMessage());
            }
        }, "flood");
        flood.start();
        // the flood ends (refused as too long, or cut off) before the idle connections churn this
        // user's share: a flood connection whose next chunk is not yet in the socket is idle, and
        // evicting it first would leave the daemon nothing too long to count (a flaky too_long 0)
        flood.join();
        List<SocketChannel> open = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            try {
                open.add(connect(socket));
            } catch (IOException e) {
                refused++;
            }
        }
        SocketChannel greedy = connect(socket);
        byte[] req = "{\"cmd\":\"journal\",\"limit\":100000}\n{\"cmd\":\"screen\"}\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            greedy.write(ByteBuffer.wrap(req));
        }
        System.out.println("ready: " + open.size() + " idle connections opened, " + refused + " refused at connect");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold everything open until the test closes our standard input
        }
        for (SocketChannel c : open) {
            c.close();
        }
        greedy.close();
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }
}
