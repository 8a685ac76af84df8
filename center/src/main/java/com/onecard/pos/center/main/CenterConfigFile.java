package com.onecard.pos.center.main;

import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.LedgerPolicy;
import com.onecard.pos.center.db.DatabaseConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * Reads a center's configuration file ({@code center.properties}; the sample in
 * {@code center/src/main/dist} documents every key). Each problem names its key.
 */
public final class CenterConfigFile {
    /** A key is missing or malformed; the message names it. Exit code 2 at the command line. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private static final Set<String> KEYS = Set.of("database.url", "database.user", "database.password-file",
            "database.pool-size", "sync.host", "sync.port", "app.host", "app.port", "tls.ca", "tls.cert", "tls.key",
            "workers", "sync.replays-at-once", "sync.replay-changes-per-second", "sync.handshakes-at-once", "sync.ticket-secret-file", "ledger.reversal-window-hours", "ledger.hold-seconds", "ledger.hold-retention-hours");

    private CenterConfigFile() {
    }

    public static CenterConfig load(Path file) throws Invalid {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid("cannot read configuration " + file + ": " + e.getMessage());
        }
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k) && !AppConfigFile.KEYS.contains(k)) {
                throw new Invalid(file + ": unknown key " + k);
            }
        }
        Path base = file.toAbsolutePath().getParent();
        String url = required(p, "database.url");
        String user = p.getProperty("database.user", "onecard").trim();
        String password = null;
        String pwFile = p.getProperty("database.password-file", "").trim();
        if (!pwFile.isEmpty()) {
            password = readSecret(base.resolve(pwFile), "database.password-file");
        }
        int pool = integer(p, "database.pool-size", 16, 1, 200);
        DatabaseConfig db;
        try {
            db = new DatabaseConfig(url, user, password, pool);
        } catch (IllegalArgumentException e) {
            throw new Invalid("database.url: " + e.getMessage());
        }
        Path ca = existing(p, base, "tls.ca");
        Path cert = existing(p, base, "tls.cert");
        Path key = existing(p, base, "tls.key");
        LedgerPolicy policy = new LedgerPolicy(
                Duration.ofHours(integer(p, "ledger.reversal-window-hours", 24, 1, 24 * 90)),
                Duration.ofSeconds(integer(p, "ledger.hold-seconds", 120, 5, 3_600)),
                Duration.ofHours(integer(p, "ledger.hold-retention-hours", 24, 1, 24 * 90)));
        String ticketFile = p.getProperty("sync.ticket-secret-file", "").trim();
        byte[] ticketSecret = ticketFile.isEmpty() ? null
                : readHexSecret(base.resolve(ticketFile), "sync.ticket-secret-file");
        return new CenterConfig(p.getProperty("sync.host", "0.0.0.0").trim(), integer(p, "sync.port", 7443, 0, 65535),
                p.getProperty("app.host", "127.0.0.1").trim(), integer(p, "app.port", 8080, -1, 65535), ca, cert, key,
                db, integer(p, "workers", CenterConfig.defaultWorkers(pool), 1, 512), policy,
                integer(p, "sync.replays-at-once", CenterConfig.defaultReplaysAtOnce(), 1, 10_000),
                integer(p, "sync.replay-changes-per-second", (int) CenterConfig.defaultReplayChangesPerSecond(), 1,
                        100_000_000),
                integer(p, "sync.handshakes-at-once", CenterConfig.defaultHandshakesAtOnce(), 1, 10_000), ticketSecret);
    }

    private static String required(Properties p, String key) throws Invalid {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new Invalid(key + ": missing");
        }
        return v.trim();
    }

    private static int integer(Properties p, String key, int dflt, int min, int max) throws Invalid {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new Invalid(key + ": must be a whole number from " + min + " to " + max + ", got '" + v.trim() + "'");
    }

    private static Path existing(Properties p, Path base, String key) throws Invalid {
        Path f = base.resolve(required(p, key));
        if (!Files.isReadable(f)) {
            throw new Invalid(key + ": no readable file " + f);
        }
        return f;
    }

    /** A secret of 64+ hex digits (32+ bytes) in a file that {@link #readSecret} accepts. */
    static byte[] readHexSecret(Path f, String key) throws Invalid {
        byte[] secret;
        try {
            secret = java.util.HexFormat.of().parseHex(readSecret(f, key));
        } catch (IllegalArgumentException e) {
            throw new Invalid(key + ": not hex digits");
        }
        if (secret.length < 32) {
            throw new Invalid(key + ": at least 64 hex digits (32 bytes)");
        }
        return secret;
    }

    /** A secret file must exist and must not be readable by others. */
    static String readSecret(Path f, String key) throws Invalid {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new Invalid(key + ": " + f + " is readable by everyone; chmod 600 it");
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new Invalid(key + ": " + f + " is empty");
            }
            return s;
        } catch (IOException e) {
            throw new Invalid(key + ": cannot read " + f + ": " + e.getMessage());
        }
    }
}
