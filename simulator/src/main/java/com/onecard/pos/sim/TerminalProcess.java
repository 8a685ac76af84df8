package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.terminal.control.ControlClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real terminal daemon in its own JVM, as on a canteen terminal: its own configuration file,
 * data folder, logs and control socket. The simulator drives it only through the control socket.
 */
public final class TerminalProcess implements AutoCloseable {
    /** util-linux setsid (Debian's util-linux package, always installed): execs its command in a new session, same pid. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private final String id;
    private final Path dir;
    private final Path config;
    private final Path socket;
    private final Map<String, String> settings;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;
    private ControlClient control;
    private ControlClient probe;
    private final Object probeLock = new Object();

    /**
     * @param settings configuration keys for this terminal (written to its pos.properties)
     */
    public TerminalProcess(String id, Path dir, Map<String, String> settings) throws IOException {
        this.id = id;
        this.dir = dir.toAbsolutePath();
        Files.createDirectories(this.dir);
        this.config = this.dir.resolve("pos.properties");
        // control.socket among the settings puts it elsewhere (e.g. where another user can reach it)
        Path sock = settings.containsKey("control.socket") ? Path.of(settings.get("control.socket")) : this.dir.resolve("control.sock");
        // Unix socket paths are limited to 107 bytes; deep working folders fall back to /tmp.
        this.socket = sock.toString().length() < 100 ? sock : Path.of("/tmp", "onecard-sim-" + ProcessHandle.current().pid() + "-" + id + ".sock");
        this.settings = new LinkedHashMap<>(settings);
        this.settings.put("terminal.id", id);
        this.settings.putIfAbsent("terminal.data-dir", this.dir.resolve("data").toString());
        this.settings.put("control.socket", socket.toString());
        writeConfig();
    }

    /** An environment variable of the daemon's process (e.g. SOFTHSM2_CONF for its token); from the next start on. */
    public void environment(String name, String value) {
        environment.put(name, value);
    }

    /** Extra JVM options for the daemon (e.g. {@code -Donecard.clock.offset=PT3H}); from the next start on. */
    public void jvmOption(String option) {
        jvmOptions.add(option);
    }

    private void writeConfig() throws IOException {
        StringBuilder b = new StringBuilder("# written by the simulator for terminal " + id + "\n");
        settings.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(config, b.toString(), StandardCharsets.UTF_8);
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return config;
    }

    public Path socket() {
        return socket;
    }

    public Path logDir() {
        return dir.resolve("logs");
    }

    /** Starts the daemon JVM (same classpath as this one) and waits until its control socket answers. */
    public void start(Duration readyTimeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // a session of its own: Ctrl-C at the simulator's terminal reaches the simulator only, which
            // then checks every invariant against the still-running daemon before it stops it
            cmd.add(SETSID.toString());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(com.onecard.pos.terminal.app.DaemonJvm.options());
        cmd.add("-Donecard.log.dir=" + logDir());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "com.onecard.pos.terminal.app.Daemon", "--config", config.toString()));
        Files.createDirectories(logDir());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("screen.ansi").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logDir().resolve("daemon.err").toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("terminal " + id + " exited with code " + process.exitValue() + " at start; see "
                        + logDir().resolve("daemon.err"));
            }
            if (Files.exists(socket)) {
                try {
                    control = new ControlClient(socket);
                    control.call("status");
                    return;
                } catch (IOException e) {
                    last = e;
                    closeControl();
                }
            }
            pause(50);
        }
        throw new IOException("terminal " + id + " not ready within " + readyTimeout.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /**
     * One control request; fields are alternating names and values. The connection is kept between
     * requests, as a cashier's front end keeps it; when the daemon has closed it meanwhile (it closes
     * an idle connection to make room for another client, after reading it first, so a request it
     * closed on was never taken: ControlServer), the request goes once more on a fresh connection.
     */
    public synchronized JsonNode call(String cmd, Object... fields) throws IOException {
        boolean kept = control != null;
        if (control == null) {
            control = new ControlClient(socket);
        }
        try {
            return send(control, cmd, fields);
        } catch (ControlClient.ControlClosedException e) {
            closeControl();
            if (!kept) {
                throw e;
            }
        } catch (IOException e) {
            closeControl();
            throw e;
        }
        control = new ControlClient(socket);
        try {
            return send(control, cmd, fields);
        } catch (IOException e) {
            closeControl();
            throw e;
        }
    }

    /**
     * A control request on a second connection, for monitoring (status, card) while the first
     * one waits for a sale outcome.
     */
    public JsonNode probe(String cmd, Object... fields) throws IOException {
        synchronized (probeLock) {
            if (probe == null) {
                probe = new ControlClient(socket);
            }
            try {
                return send(probe, cmd, fields);
            } catch (IOException e) {
                closeProbe();
                throw e;
            }
        }
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (IOException ignored) {
                // the daemon side is gone either way
            }
            probe = null;
        }
    }

    private static JsonNode send(ControlClient control, String cmd, Object... fields) throws IOException {
        var req = control.request(cmd);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            if (v instanceof Number n) {
                req.put((String) fields[i], n.longValue());
            } else if (v instanceof Boolean bo) {
                req.put((String) fields[i], bo);
            } else {
                req.put((String) fields[i], String.valueOf(v));
            }
        }
        return control.call(req);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL, as a power cut would. */
    public void kill() {
        closeControl();
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    private void closeControl() {
        synchronized (probeLock) {
            closeProbe();
        }
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // the daemon side is gone either way
            }
            control = null;
        }
    }

    private void waitFor(Duration d) {
        try {
            process.waitFor(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM and wait; SIGKILL if it does not stop within 10 s. */
    @Override
    public void close() {
        closeControl();
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor(Duration.ofSeconds(10));
            if (process.isAlive()) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(5));
            }
        }
    }
}
