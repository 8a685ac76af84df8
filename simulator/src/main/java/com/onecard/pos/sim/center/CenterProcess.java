package com.onecard.pos.sim.center;

import com.onecard.pos.center.db.DatabaseConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second center instance in a process of its own, started as {@code scripts/center run} does,
 * on the same database: one the simulation can kill (SIGKILL) mid-rush. Its configuration file
 * and database password file are written under {@code dir} (0600).
 */
public final class CenterProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("center ready: sync on [^:]+:(\\d+)");

    private final Process process;
    private final int syncPort;

    private CenterProcess(Process process, int syncPort) {
        this.process = process;
        this.syncPort = syncPort;
    }

    /** Starts the instance and waits until it listens; IOException with its output when it does not. */
    public static CenterProcess start(Path dir, DatabaseConfig db, Path ca, Path cert, Path key) throws IOException {
        return start(dir, db, ca, cert, key, null);
    }

    /**
     * As {@link #start(Path, DatabaseConfig, Path, Path, Path)}, with {@code sync.ticket-secret-file}
     * (null: none), so terminals resume their TLS sessions across the instances that share it.
     */
    public static CenterProcess start(Path dir, DatabaseConfig db, Path ca, Path cert, Path key, Path ticketSecretFile)
            throws IOException {
        Path cfg = writeConfig(dir, db, ca, cert, key, ticketSecretFile);
        Path log = dir.resolve("center.log");
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dlogback.configurationFile=" + writeLogConfig(dir, log),
                "-cp", System.getProperty("java.class.path"), "com.onecard.pos.center.main.CenterMain", "run",
                "--config", cfg.toString()).redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty; the instance logs to its file
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                }, "center-process-out");
                drain.setDaemon(true);
                drain.start();
                return new CenterProcess(p, Integer.parseInt(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new IOException("center instance in " + dir + " did not start within 60 s: " + seen);
    }

    /**
     * Runs one administration command of {@code scripts/center} ({@code terminal reseat T01},
     * say) in its own JVM, as the card office would, against the same database.
     *
     * @return what the command printed
     * @throws IOException with that output when it exits other than 0 or takes over 60 s
     */
    public static String admin(Path dir, DatabaseConfig db, Path ca, Path cert, Path key, String... args)
            throws IOException {
        Path cfg = writeConfig(dir, db, ca, cert, key, null);
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin(), "-Xmx128m",
                "-Dlogback.configurationFile=" + writeLogConfig(dir, dir.resolve("center-admin.log")),
                "-cp", System.getProperty("java.class.path"), "com.onecard.pos.center.main.CenterMain"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--config", cfg.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("scripts/center " + String.join(" ", args) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted waiting for scripts/center " + String.join(" ", args), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("scripts/center " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** The instance's configuration file and database password file (0600) under {@code dir}. */
    private static Path writeConfig(Path dir, DatabaseConfig db, Path ca, Path cert, Path key, Path ticketSecretFile)
            throws IOException {
        Files.createDirectories(dir);
        Path pw = dir.resolve("db.password");
        Files.deleteIfExists(pw);
        Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pw, db.password() == null ? "" : db.password());
        Path cfg = dir.resolve("center.properties");
        List<String> lines = new java.util.ArrayList<>(List.of(
                "database.url=" + db.url(),
                "database.user=" + db.user(),
                "database.password-file=" + pw,
                "database.pool-size=8",
                "sync.host=127.0.0.1",
                "sync.port=0",
                "app.port=-1",
                "tls.ca=" + ca,
                "tls.cert=" + cert,
                "tls.key=" + key));
        if (ticketSecretFile != null) {
            lines.add("sync.ticket-secret-file=" + ticketSecretFile);
        }
        Files.write(cfg, lines, StandardCharsets.UTF_8);
        return cfg;
    }

    public int syncPort() {
        return syncPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful close; what a crash or a pulled plug does. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String writeLogConfig(Path dir, Path log) throws IOException {
        Path f = dir.resolve("logback.xml");
        Files.writeString(f, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{0} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="io.netty" level="WARN"/>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(log));
        return f.toString();
    }
}
