package com.onecard.pos.terminal.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "sync", description = "Sync with the center.", subcommands = SyncCommand.Now.class)
final class SyncCommand {
    @Command(name = "now", description = "Upload what is pending now (and show the backlog).")
    static final class Now implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** --socket, --config and --json, given before or after the command name. */
        private PosCtl.Target target() {
            return PosCtl.target(spec);
        }

        @Override
        public Integer call() {
            Daemon.call(target(), "sync-now");
            var s = Daemon.call(target(), "status");
            if (target().json) {
                Daemon.print(s);
            } else {
                System.out.printf("upload started; center %s, %d sales not acknowledged yet%n",
                        s.path("sync").path("connected").asBoolean() ? "connected" : "NOT CONNECTED",
                        s.path("backlog").path("count").asLong());
            }
            return 0;
        }
    }
}
