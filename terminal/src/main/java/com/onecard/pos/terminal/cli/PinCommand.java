package com.onecard.pos.terminal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "pin", description = "Enter the card password for the sale waiting for it (what the keypad sends).")
final class PinCommand implements Callable<Integer> {
    @Mixin
    PosCtl.Target target = new PosCtl.Target();

    @Parameters(index = "0", description = "card password, 4-8 digits")
    String pin;

    @Override
    public Integer call() {
        var r = Daemon.call(target, "pin", q -> q.put("pin", pin));
        if (target.json) {
            Daemon.print(r);
        } else {
            System.out.println("password entered");
        }
        return 0;
    }
}
