package com.onecard.pos.terminal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "pin", description = "Enter the card password for the sale waiting for it (what the keypad sends).")
final class PinCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Parameters(index = "0", description = "card password, 4-8 digits")
    String pin;

    @Override
    public Integer call() {
        var r = Daemon.call(target(), "pin", q -> q.put("pin", pin));
        if (target().json) {
            Daemon.print(r);
        } else {
            System.out.println("password entered");
        }
        return 0;
    }
}
