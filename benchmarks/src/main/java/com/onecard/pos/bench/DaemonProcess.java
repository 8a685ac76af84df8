package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.terminal.control.ControlClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A terminal daemon JVM started the way the simulator's TerminalProcess starts it (same flags,
 * same classpath, same main class), plus extra JVM flags, which TerminalProcess cannot take yet.
 */
final class DaemonProcess implements AutoCloseable {
    final Path dir;
    final Path config;
    final Path socket;
    private final List<String> extraFlags;
    private final Map<String, String> environment = new java.util.LinkedHashMap<>();
    private Process process;
    long startNanos;

    DaemonProcess(String id, Path dir, Map<String, String> settings, List<String> extraFlags) throws IOException {
        this.dir = dir.toAbsolutePath();
        Files.createDirectories(this.dir);
        this.config = this.dir.resolve("pos.properties");
        Path sock = this.dir.resolve("control.sock");
        this.socket = sock.toString().length() < 100 ? sock
                : Path.of("/tmp", "onecard-bench-" + ProcessHandle.current().pid() + "-" + dir.getFileName() + ".sock");
        this.extraFlags = List.copyOf(extraFlags);
        StringBuilder b = new StringBuilder("# written by the benchmarks for terminal " + id + "\n");
        settings.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        b.append("terminal.id=").append(id).append('\n');
        b.append("terminal.data-dir=").append(this.dir.resolve("data").toString().replace("\\", "\\\\")).append('\n');
        b.append("control.socket=").append(socket).append('\n');
        Files.writeString(config, b.toString(), StandardCharsets.UTF_8);
    }

    /** Environment of the daemon's process (SOFTHSM2_CONF for its key token). */
    void environment(Map<String, String> env) {
        environment.putAll(env);
    }

    /** Starts the JVM and returns at once; {@link #startNanos} is taken just before the fork. */
    void start() throws IOException {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(com.onecard.pos.terminal.app.DaemonJvm.options());
        cmd.add("-Donecard.log.dir=" + logs);
        cmd.addAll(extraFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "com.onecard.pos.terminal.app.Daemon", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("screen.ansi").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve("daemon.err").toFile()));
        pb.environment().putAll(environment);
        startNanos = System.nanoTime();
        process = pb.start();
    }

    /**
     * Polls every 5 ms until the control socket answers status with the reader OK; returns the
     * milliseconds since {@link #start()}.
     */
    double awaitReady(long timeoutMs) throws IOException {
        long deadline = startNanos + timeoutMs * 1_000_000L;
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("daemon exited with " + process.exitValue() + "; see " + dir.resolve("logs/daemon.err"));
            }
            if (Files.exists(socket)) {
                try (ControlClient c = new ControlClient(socket)) {
                    JsonNode s = c.call("status");
                    if (s.path("reader").path("state").asText().equals("OK")) {
                        return (System.nanoTime() - startNanos) / 1e6;
                    }
                    last = s.path("reader").toString();
                } catch (IOException e) {
                    last = e.getMessage();
                }
            }
            sleep(5);
        }
        throw new IOException("daemon not ready within " + timeoutMs + " ms: " + last);
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS of the daemon process in MiB, from /proc. */
    double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
