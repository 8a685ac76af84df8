package com.onecard.pos.terminal.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "cancel", description = "Cancel the sale in progress (a shown QR code stops being payable).")
final class CancelCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Override
    public Integer call() {
        var r = Daemon.call(target(), "cancel");
        if (target().json) {
            Daemon.print(r);
        } else {
            System.out.println("cancelled");
        }
        return 0;
    }
}
