package com.onecard.pos.sim.durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tools/lossyfs mounted for a test: a FUSE filesystem that keeps writes in memory until fsync.
 * {@link #powerCut()} kills it (the unsynced writes die with it) and detaches the mount;
 * {@link #mount()} brings it back over the same backing folder, which holds exactly what was
 * synced. Needs /dev/fuse, fusermount3 and gcc with libfuse3 (.ci/run installs them).
 */
final class LossyFs implements AutoCloseable {
    private final Path backing;
    private final Path mountpoint;
    private final Path log;
    private Process process;

    LossyFs(Path backing, Path mountpoint, Path log) throws IOException {
        this.backing = backing;
        this.mountpoint = mountpoint;
        this.log = log;
        Files.createDirectories(backing);
        Files.createDirectories(mountpoint);
    }

    /** Builds tools/lossyfs into simulator/target (once, or again when its source is newer). */
    static Path binary() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("tools/lossyfs/build"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IOException("tools/lossyfs/build not found above " + Path.of("").toAbsolutePath());
        }
        Path out = root.resolve("simulator/target/lossyfs");
        Process p = new ProcessBuilder(root.resolve("tools/lossyfs/build").toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("building lossyfs failed (needs gcc, pkg-config, libfuse3-dev):\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted building lossyfs", e);
        }
        return out.resolve("lossyfs");
    }

    Path mountpoint() {
        return mountpoint;
    }

    Path backing() {
        return backing;
    }

    void mount() throws IOException {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IOException("/dev/fuse is missing: the durability tests need FUSE (package fuse3)");
        }
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(binary().toString(), backing.toString(), mountpoint.toString(), "-f", "-o", "max_threads=16")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            com.onecard.pos.center.testing.Await.until(java.time.Duration.ofSeconds(10), () -> !process.isAlive() || mountedNow(),
                    () -> "lossyfs mounted at " + mountpoint);
        } catch (AssertionError e) {
            throw new IOException("lossyfs did not mount " + mountpoint + "; see " + log, e);
        }
        if (!mounted()) {
            throw new IOException("lossyfs did not mount " + mountpoint + "; see " + log);
        }
    }

    /** The power goes: the filesystem process dies with every write not yet synced, the mount is detached. */
    void powerCut() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unmount(true);
    }

    private boolean mountedNow() {
        try {
            return mounted();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean mounted() throws IOException {
        String mp = mountpoint.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].equals(mp)) {
                return true;
            }
        }
        return false;
    }

    private void unmount(boolean lazy) throws IOException {
        if (!mounted()) {
            return;
        }
        List<String> cmd = lazy ? List.of("fusermount3", "-u", "-z", mountpoint.toString())
                : List.of("fusermount3", "-u", mountpoint.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("unmounting " + mountpoint + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null && process.isAlive()) {
            unmount(true);
            process.destroy();
        }
    }
}
