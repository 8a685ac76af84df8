package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.terminal.config.ConfigException;
import com.onecard.pos.terminal.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "config", description = "Show, validate or change the configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Validate.class, ConfigCommand.Set.class, ConfigCommand.Keys.class})
final class ConfigCommand {

    @Command(name = "show", description = "The daemon's effective configuration, secrets masked.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** --socket, --config and --json, given before or after the command name. */
        private PosCtl.Target target() {
            return PosCtl.target(spec);
        }

        @Override
        public Integer call() {
            JsonNode r = Daemon.call(target(), "config-show");
            if (target().json) {
                Daemon.print(r);
            } else {
                System.out.println("# " + r.path("file").asText());
                System.out.print(r.path("config").asText());
            }
            return 0;
        }
    }

    @Command(name = "keys", description = "Without the daemon: every configuration key, the values it accepts, its default,"
            + " and whether a change applies at once or at the next restart (docs/configuration.md is this table).")
    static final class Keys implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--markdown", description = "as a Markdown table")
        boolean markdown;

        @Override
        public Integer call() {
            System.out.print(markdown ? com.onecard.pos.terminal.config.ConfigKeyTable.markdown()
                    : com.onecard.pos.terminal.config.ConfigKeyTable.text());
            return 0;
        }
    }

    @Command(name = "validate", description = "Check a configuration file without the daemon: every key, and the files it names."
            + " Exit 0 valid, 2 not valid (the message names the key and line).")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "configuration file")
        Path file;

        @picocli.CommandLine.Option(names = "--no-files", description = "check keys and values only, not the key,"
                + " certificate and device files they name (a file prepared on another machine)")
        boolean noFiles;

        @Override
        public Integer call() {
            try {
                var cfg = ConfigLoader.load(file, noFiles ? ConfigLoader.Checks.KEYS : ConfigLoader.Checks.FILES);
                cfg.warnings().forEach(w -> System.out.println(file + ": warning: " + w));
                System.out.println(file + ": valid (terminal " + cfg.terminal().id() + ")");
                return 0;
            } catch (ConfigException e) {
                System.err.println(file + ": " + e.getMessage());
                return PosCtl.EXIT_USAGE;
            }
        }
    }

    @Command(name = "set", description = "Change one key in the daemon's configuration file: validated, saved, and applied at once where safe (auth.*, sale.*, pricing.periods), else at the next restart.")
    static final class Set implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** --socket, --config and --json, given before or after the command name. */
        private PosCtl.Target target() {
            return PosCtl.target(spec);
        }

        @Parameters(index = "0", description = "key, e.g. auth.offline.max-sale-fen")
        String key;

        @Parameters(index = "1", description = "new value")
        String value;

        @Override
        public Integer call() {
            JsonNode r;
            try {
                r = Daemon.call(target(), "config-set", q -> {
                    q.put("key", key);
                    q.put("value", value);
                });
            } catch (PosCtl.Refused e) {
                // a refused key or value is a configuration fault: exit 2, like config validate
                throw new PosCtl.UsageError(e.getMessage());
            }
            if (target().json) {
                Daemon.print(r);
            } else {
                String effective = r.path("value").asText(value);
                System.out.println(key + "=" + effective + ": " + (r.path("applied").asBoolean() ? "saved and applied"
                        : "saved; restart the daemon to apply (systemctl restart onecard-pos)"));
                r.path("warnings").forEach(w -> System.out.println("warning: " + w.asText()));
            }
            return 0;
        }
    }
}
