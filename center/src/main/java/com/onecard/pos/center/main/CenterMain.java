package com.onecard.pos.center.main;

import com.onecard.pos.center.Center;
import com.onecard.pos.center.CenterConfig;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.db.Database;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.ledger.Flags;
import com.onecard.pos.center.ledger.TerminalRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/center}: run a center instance from its configuration file, migrate its
 * database, and administer terminals. Exit codes: 0 done, 1 refused or failed, 2 bad usage or
 * configuration (systemd does not restart on 2).
 */
@Command(name = "center", mixinStandardHelpOptions = true,
        description = "The campus card center: sync gateway for terminals, ledger on PostgreSQL, campus app API.",
        subcommands = {CenterMain.Run.class, CenterMain.Migrate.class, CenterMain.TerminalCmd.class, AppCmd.class})
public final class CenterMain {
    static final String DEFAULT_CONFIG = "/etc/onecard-center/center.properties";

    public static void main(String[] args) {
        System.exit(new CommandLine(new CenterMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return e instanceof CenterConfigFile.Invalid ? 2 : 1;
        }).execute(args));
    }

    abstract static class WithConfig {
        @Option(names = "--config", description = "configuration file (default " + DEFAULT_CONFIG + ")",
                defaultValue = DEFAULT_CONFIG)
        Path config;

        CenterConfig load() throws CenterConfigFile.Invalid {
            return CenterConfigFile.load(config);
        }
    }

    @Command(name = "run", description = "Run this instance until stopped (SIGTERM).")
    static final class Run extends WithConfig implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            CenterConfig cfg = load();
            Center center = Center.start(cfg, AppConfigFile.load(config, java.time.Clock.systemUTC()),
                    java.time.Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                center.close();
                stopped.countDown();
            }, "center-stop"));
            System.out.printf("center ready: sync on %s:%d, app API %s, database %s%n", cfg.syncHost(),
                    center.syncPort(), center.appPort() < 0 ? "off" : cfg.appHost() + ":" + center.appPort(),
                    cfg.database().url());
            stopped.await();
            return 0;
        }
    }

    @Command(name = "migrate", description = "Bring the ledger's schema up to date and exit.")
    static final class Migrate extends WithConfig implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            CenterConfig cfg = load();
            Database.migrate(cfg.database());
            System.out.println("schema of " + cfg.database().url() + " is up to date");
            return 0;
        }
    }

    @Command(name = "terminal", description = "Register, list, re-seat or revoke terminals.",
            subcommands = {TerminalCmd.Add.class, TerminalCmd.List.class, TerminalCmd.Reseat.class,
                    TerminalCmd.Revoke.class})
    static final class TerminalCmd {
        @Command(name = "add", description = "Register a terminal with its journal secret (or renew the secret).")
        static final class Add extends WithConfig implements Callable<Integer> {
            @Parameters(index = "0", description = "terminal id (the CN of its certificate)")
            String id;

            @Option(names = "--secret-file", required = true,
                    description = "the terminal's secret (scripts/provision: DIR/center/terminals/ID.secret, 64 hex digits), mode 0600")
            Path secretFile;

            @Option(names = "--campus", description = "the campus whose accounts it serves (default: every campus)")
            String campus;

            @Override
            public Integer call() throws Exception {
                byte[] secret;
                try {
                    secret = HexFormat.of().parseHex(CenterConfigFile.readSecret(secretFile, "--secret-file"));
                } catch (IllegalArgumentException e) {
                    throw new CenterConfigFile.Invalid("--secret-file: " + secretFile + " is not hex digits");
                }
                try (CenterLedger admin = Admin.open(load())) {
                    admin.terminals().register(id, secret);
                    if (campus != null) {
                        admin.terminals().setCampus(id, campus);
                    }
                }
                System.out.println("terminal " + id + " registered" + (campus == null ? "" : ", campus " + campus));
                return 0;
            }
        }

        @Command(name = "list", description = "Every terminal: epoch, watermark, quarantine, campus; flagged rows with --flags.")
        static final class List extends WithConfig implements Callable<Integer> {
            @Option(names = "--flags", description = "also the newest flagged rows (refused reversals, unknown kinds,"
                    + " divergences), at most this many", defaultValue = "0")
            int flags;

            @Override
            public Integer call() throws Exception {
                try (CenterLedger admin = Admin.open(load())) {
                    System.out.printf("%-12s %-8s %5s %12s  %-24s %s%n", "terminal", "state", "epoch", "applied_seq",
                            "clock (vs center, seen)", "campus");
                    for (TerminalRegistry.Info t : admin.terminals().list()) {
                        String state = t.revoked() ? "REVOKED" : t.quarantined() ? "QUARANTINED" : "ACTIVE";
                        String clock = t.clock() == null ? "never connected"
                                : String.format("%+.1f s at %tT", -t.clock().offsetMs() / 1000.0, t.clock().seenMs());
                        System.out.printf("%-12s %-8s %5d %12d  %-24s %s%s%n", t.id(), state, t.epoch(), t.appliedSeq(),
                                clock, t.campus() == null ? "*" : t.campus(), t.quarantined()
                                        ? "  diverged at seq " + t.quarantinedSeq() + ": " + t.quarantineReason() : "");
                    }
                    if (flags > 0) {
                        for (Flags.Flag f : admin.flags().list(null, flags)) {
                            System.out.printf("flag %s %s epoch %d seq %d %s: %s%n", Instant.ofEpochMilli(f.timeMs()),
                                    f.terminalId(), f.epoch(), f.seq(), f.code(), f.detail());
                        }
                    }
                }
                return 0;
            }
        }

        @Command(name = "reseat", description = "Give a quarantined (or replaced) terminal a new epoch: it uploads its"
                + " journal again from seq 1; rows already applied move nothing twice (docs/protocol.md 5.3).")
        static final class Reseat extends WithConfig implements Callable<Integer> {
            @Parameters(index = "0", description = "terminal id")
            String id;

            @Override
            public Integer call() throws Exception {
                int epoch;
                try (CenterLedger admin = Admin.open(load())) {
                    epoch = admin.terminals().reseat(id);
                } catch (IllegalArgumentException | LedgerException e) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                }
                System.out.println("terminal " + id + " re-seated: epoch " + epoch + "; it uploads its journal again on"
                        + " its next connection");
                return 0;
            }
        }

        @Command(name = "revoke", description = "Refuse a terminal from now on (a stolen or retired one).")
        static final class Revoke extends WithConfig implements Callable<Integer> {
            @Parameters(index = "0", description = "terminal id")
            String id;

            @Override
            public Integer call() throws Exception {
                try (CenterLedger admin = Admin.open(load())) {
                    admin.terminals().revoke(id);
                } catch (IllegalArgumentException | LedgerException e) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                }
                System.out.println("terminal " + id + " revoked");
                return 0;
            }
        }
    }
}
