package com.onecard.pos.center.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for a laptop, the simulator and the tests: {@code initdb} into
 * a folder, {@code pg_ctl start} on a free loopback port, {@code pg_ctl stop} on {@link #close()}.
 * Debian's server binaries ({@code /usr/lib/postgresql/N/bin}) refuse to run as root, so as
 * root they run as the {@code postgres} system user, which then owns the data folder. The
 * superuser's password is random, given to initdb in a 0600 file that is deleted at once, and
 * never on a command line. A deployed center never uses this: it is given a database URL.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PrivatePostgres.class);
    public static final String SUPERUSER = "onecard";

    private final Path dataDir;
    private final Path binDir;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private volatile boolean running;

    private final Path relocated;

    private PrivatePostgres(Path dataDir, Path binDir, int port, String password, boolean asPostgresUser,
                            Path relocated) {
        this.relocated = relocated;
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Creates (emptying it first) and starts a cluster in {@code dataDir}.
     *
     * @param durable false turns fsync off: for tests, which never cut the machine's power
     * @throws IOException naming the step that failed, with the server's own output
     */
    public static PrivatePostgres start(Path requestedDir, boolean durable) throws IOException {
        return start(requestedDir, durable, List.of());
    }

    /**
     * As {@link #start(Path, boolean)}, with extra {@code postgresql.conf} lines (a benchmark's
     * {@code shared_preload_libraries = 'pg_stat_statements'}, say).
     */
    public static PrivatePostgres start(Path requestedDir, boolean durable, List<String> settings) throws IOException {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dataDir = requestedDir.toAbsolutePath();
        deleteTree(dataDir);
        Files.createDirectories(dataDir.getParent());
        Path relocated = null;
        if (root && !reachableByOthers(dataDir.getParent())) {
            // The postgres user cannot reach the folder (e.g. under /root): the data goes to a
            // temporary folder it can reach, with a link where it was asked for; deleted at close.
            relocated = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "onecard-pg-");
            Files.setPosixFilePermissions(relocated, PosixFilePermissions.fromString("rwx--x--x"));
            Path real = relocated.resolve("data");
            Files.createSymbolicLink(dataDir, real);
            dataDir = real;
        }
        Files.createDirectories(dataDir);
        if (root) {
            run(List.of("chown", "postgres:postgres", dataDir.toString()), "giving " + dataDir + " to postgres");
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path pwFile = Files.createTempFile(dataDir.getParent(), "pg-pw", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwFile, password + "\n");
            if (root) {
                run(List.of("chown", "postgres:postgres", pwFile.toString()), "giving the password file to postgres");
            }
            run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                    "--pwfile=" + pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")),
                    "initdb " + dataDir);
        } finally {
            Files.deleteIfExists(pwFile);
        }
        List<String> conf = new ArrayList<>(List.of(
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "max_connections = 300",
                "shared_buffers = 128MB",
                "logging_collector = off"));
        if (!durable) {
            conf.addAll(List.of("fsync = off", "synchronous_commit = off", "full_page_writes = off"));
        }
        conf.addAll(settings);
        Files.write(dataDir.resolve("postgresql.auto.conf"), conf, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            PrivatePostgres pg = new PrivatePostgres(dataDir, bin, port, password, root, relocated);
            try {
                run(asUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60",
                        "-l", dataDir.resolve("server.log").toString(), "-o", "-p " + port, "start")),
                        "pg_ctl start on port " + port);
                pg.running = true;
                log.info("private PostgreSQL {} on 127.0.0.1:{}", dataDir, port);
                return pg;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** A JDBC URL for {@code database} on this cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    /** The superuser's password (random per cluster); for a JDBC connection, never for a log. */
    public String password() {
        return password;
    }

    public DatabaseConfig config(String database, int poolSize) {
        return new DatabaseConfig(url(database), SUPERUSER, password, poolSize);
    }

    /** Creates an empty database (dropping one of that name first). */
    public void createDatabase(String name) throws SQLException {
        check(name);
        try (Connection c = DriverManager.getConnection(url("postgres"), credentials()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** Creates a database as a copy of {@code template} (dropping one of that name first). */
    public void createDatabaseFrom(String name, String template) throws SQLException {
        check(name);
        check(template);
        try (Connection c = DriverManager.getConnection(url("postgres"), credentials()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        }
    }

    private static void check(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits, _: " + name);
        }
    }

    private Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", password);
        return p;
    }

    public boolean running() {
        return running;
    }

    /**
     * Takes the server away as a crash would ({@code pg_ctl stop -m immediate}: no checkpoint,
     * sessions cut); {@link #restart()} brings it back on the same port and data. For fault tests.
     */
    public synchronized void crash() throws IOException {
        run(asUser(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w",
                "-t", "30", "-m", "immediate", "stop")), "pg_ctl stop -m immediate");
        running = false;
    }

    /** Starts the server again on its port after {@link #crash()} (crash recovery replays the WAL). */
    public synchronized void restart() throws IOException {
        run(asUser(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t",
                "60", "-l", dataDir.resolve("server.log").toString(), "-o", "-p " + port, "start")),
                "pg_ctl start on port " + port);
        running = true;
    }

    /** Stops the server (fast shutdown: open sessions are cut, committed data stays). */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            run(asUser(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w",
                    "-t", "30", "-m", "fast", "stop")), "pg_ctl stop");
            log.info("private PostgreSQL {} stopped", dataDir);
        } catch (IOException e) {
            log.warn("stopping private PostgreSQL {}: {}", dataDir, e.getMessage());
        }
        if (relocated != null) {
            try {
                deleteTree(relocated);
            } catch (IOException e) {
                log.warn("removing {}: {}", relocated, e.getMessage());
            }
        }
    }

    /** Newest {@code /usr/lib/postgresql/N/bin}, or the folder of {@code initdb} on the PATH. */
    static Path findBinaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var best = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())));
                if (best.isPresent()) {
                    return best.get().resolve("bin");
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IOException("PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb, no initdb"
                + " on the PATH): install the Debian package postgresql");
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> asUser(boolean root, List<String> cmd) {
        if (!root) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(cmd);
        return out;
    }

    /** Whether another user (postgres) can reach {@code dir} through its parents; nothing is chmod-ed. */
    private static boolean reachableByOthers(Path dir) throws IOException {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> cmd, String what) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + ": no answer within 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(what + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
