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
            if (ex instanceof Refused) {
                cmd.getErr().println("posctl: " + ex.getMessage());
                return EXIT_REFUSED;
            }
            cmd.getErr().println("posctl: " + ex);
            return EXIT_REFUSED;
        });
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl.execute(args);
    }

    /** Options every daemon command shares. */
    static final class Target {
        @Option(names = "--socket", description = "control socket (default: from --config, else $ONECARD_POS_SOCKET, else /run/onecard-pos/control.sock)")
        java.nio.file.Path socket;

        @Option(names = "--config", description = "terminal configuration file to find the socket in (default: /etc/onecard-pos/pos.properties)")
        java.nio.file.Path config;

        @Option(names = "--json", description = "print the daemon's JSON answer")
        boolean json;
    }

    static final class DaemonUnreachable extends RuntimeException {
        DaemonUnreachable(String m, Throwable cause) {
            super(m, cause);
        }
    }

    static final class Refused extends RuntimeException {
        Refused(String m) {
            super(m);
        }
    }
}
