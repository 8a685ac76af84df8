package com.onecard.pos.sim.reader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two connected pseudo-terminals made by socat ({@code pty,raw,echo=0,link=...} on both sides),
 * reachable through stable symlinks: the host (terminal) side and the device (emulator) side.
 * {@link #close()} ends socat, which removes the links; a new pair may then reuse the paths.
 */
public final class PtyPair implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 5000;

    private final Process socat;
    private final Path host;
    private final Path device;

    private PtyPair(Process socat, Path host, Path device) {
        this.socat = socat;
        this.host = host;
        this.device = device;
    }

    /**
     * Starts socat and waits until both links exist.
     *
     * @param host   link the terminal (reader driver, nfc-list) opens
     * @param device link the emulator opens
     * @throws IOException socat missing, or it did not create the links within 5 s
     */
    public static PtyPair start(Path host, Path device) throws IOException {
        long t0 = System.nanoTime();
        for (Path p : new Path[]{host, device}) {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            // a link left behind by a killed socat would make the new one fail
            Files.deleteIfExists(p);
        }
        Process p = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + host.toAbsolutePath(),
                "pty,raw,echo=0,link=" + device.toAbsolutePath())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        PtyPair pair = new PtyPair(p, host, device);
        long deadline = t0 + START_TIMEOUT_MS * 1_000_000;
        while (!(Files.exists(host) && Files.exists(device))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                pair.close();
                throw new IOException("socat did not create " + host + " and " + device + " within "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (alive: " + p.isAlive() + ")");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pair.close();
                throw new IOException("interrupted while starting socat for " + host, e);
            }
        }
        return pair;
    }

    /** Both links in {@code dir}: {@code dir/reader} for the host, {@code dir/pn532} for the emulator. */
    public static PtyPair startIn(Path dir) throws IOException {
        return start(dir.resolve("reader"), dir.resolve("pn532"));
    }

    public Path host() {
        return host;
    }

    public Path device() {
        return device;
    }

    public boolean isAlive() {
        return socat.isAlive();
    }

    /** Ends socat (SIGTERM, then SIGKILL after 2 s) and removes the links; idempotent. */
    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(host);
            Files.deleteIfExists(device);
        } catch (IOException ignored) {
            // best effort: start() deletes stale links again
        }
    }
}
