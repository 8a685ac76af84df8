package com.onecard.pos.terminal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * posctl: the field-service CLI. Talks to the daemon over its control socket, except for the
 * commands marked offline (reader probe, config validate), which work without a daemon.
 *
 * <p>Exit codes: 0 done; 1 the daemon refused or the check failed; 2 usage error;
 * 3 daemon not reachable; 4 selftest found a fault.
 */
@Command(name = "posctl", mixinStandardHelpOptions = true, versionProvider = PosCtl.VersionProvider.class,
        description = "Service a onecard-pos canteen terminal.",
        subcommands = {
                StatusCommand.class, SaleCommand.class, PinCommand.class, CancelCommand.class, ReverseCommand.class,
                JournalCommand.class, SettleCommand.class, SyncCommand.class, ReaderCommand.class,
                CardCommand.class, ConfigCommand.class, FeedbackCommand.class, LogsCommand.class, SelftestCommand.class,
                ScreenCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused by the daemon, or the check failed", "2:usage error",
                "3:daemon not reachable (is it running? is --socket right?)", "4:selftest found a fault"})
public final class PosCtl {
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_UNREACHABLE = 3;
    public static final int EXIT_FAULT = 4;

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"posctl " + com.onecard.pos.terminal.app.Version.get()};
        }
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "onecard-posctl-logback.xml");
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new PosCtl());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof DaemonUnreachable) {
                cmd.getErr().println("posctl: " + ex.getMessage());
                return EXIT_UNREACHABLE;
            }
            if (ex instanceof UsageError) {
                cmd.getErr().println("posctl: " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof Refused) {
                cmd.getErr().println("posctl: " + ex.getMessage());
                return EXIT_REFUSED;
            }
            cmd.getErr().println("posctl: " + Outputs.describe(ex));
            return EXIT_REFUSED;
        });
        cl.registerConverter(java.time.LocalDate.class, s -> {
            try {
                return java.time.LocalDate.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not a date like 2026-11-27 (YYYY-MM-DD)");
            }
        });
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl.execute(args);
    }

    @Option(names = "--socket", scope = CommandLine.ScopeType.INHERIT,
            description = "control socket (default: from --config, else $ONECARD_POS_SOCKET, else /run/onecard-pos/control.sock)")
    java.nio.file.Path socket;

    @Option(names = "--config", scope = CommandLine.ScopeType.INHERIT,
            description = "terminal configuration file to find the socket in (default: /etc/onecard-pos/pos.properties)")
    java.nio.file.Path config;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "print the daemon's JSON answer")
    boolean json;

    /**
     * The options every daemon command shares. They are global: given before the command name
     * ({@code posctl --socket S status}, as README and simulate print it) or after it.
     */
    static final class Target {
        final java.nio.file.Path socket;
        final java.nio.file.Path config;
        final boolean json;

        Target(java.nio.file.Path socket, java.nio.file.Path config, boolean json) {
            this.socket = socket;
            this.config = config;
            this.json = json;
        }
    }

    /** The global options as the user gave them, for the command {@code spec} runs. */
    static Target target(CommandLine.Model.CommandSpec spec) {
        PosCtl root = (PosCtl) spec.root().userObject();
        return new Target(root.socket, root.config, root.json);
    }

    static final class DaemonUnreachable extends RuntimeException {
        DaemonUnreachable(String m, Throwable cause) {
            super(m, cause);
        }
    }

    /** A bad argument or configuration file: exit 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String m) {
            super(m);
        }
    }

    static final class Refused extends RuntimeException {
        Refused(String m) {
            super(m);
        }
    }
}
