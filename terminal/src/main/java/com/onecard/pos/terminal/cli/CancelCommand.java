package com.onecard.pos.terminal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "cancel", description = "Cancel the sale in progress (a shown QR code stops being payable).")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    PosCtl.Target target = new PosCtl.Target();

    @Override
    public Integer call() {
        var r = Daemon.call(target, "cancel");
        if (target.json) {
            Daemon.print(r);
        } else {
            System.out.println("cancelled");
        }
        return 0;
    }
}
