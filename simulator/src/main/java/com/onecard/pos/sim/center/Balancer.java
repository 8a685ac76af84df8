package com.onecard.pos.sim.center;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a campus puts in front of several center instances, on a laptop: a TCP balancer on
 * loopback. Each terminal connection goes to the next instance in turn; an instance that does
 * not accept is skipped, so when one dies its terminals reconnect to the others. TLS passes
 * through untouched (the terminals still talk to a center's certificate).
 */
public final class Balancer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final ServerSocket listener;
    private final List<Integer> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean running = true;

    public Balancer(List<Integer> backendPorts) throws IOException {
        backends.addAll(backendPorts);
        listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (running) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket backend = connectToNext();
            if (backend == null) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(backend);
            pipe(client, backend, "balancer-up");
            pipe(backend, client, "balancer-down");
        }
    }

    private Socket connectToNext() {
        for (int tries = 0; tries < backends.size(); tries++) {
            int port = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                log.debug("balancer: center on port {} does not accept ({}), trying the next", port, e.getMessage());
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both, the terminal reconnects
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
