package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.reader.gpio.Feedbacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "feedback", description = "Buzzer and LEDs.", subcommands = {FeedbackCommand.Test.class, FeedbackCommand.Providers.class})
final class FeedbackCommand {

    @Command(name = "test", description = "Through the daemon: blink the green LED, then the red LED, then beep once; watch and listen.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PosCtl.Target target = PosCtl.target(spec); // --socket, --config and --json, before or after the command name
            JsonNode r = Daemon.call(target, "feedback-test");
            if (target.json) {
                Daemon.print(r);
            } else {
                System.out.println("played green LED, red LED, one beep on " + r.path("gpio").asText()
                        + "\nif one stayed dark or silent: check its wire and pin (gpio.*-pin in the configuration)");
            }
            return 0;
        }
    }

    @Command(name = "providers", description = "Without the daemon: the pi4j plugins this installation carries and the GPIO provider gpio.platform=pi resolves to (it must be "
            + Feedbacks.GPIOD + ").")
    static final class Providers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            boolean json = PosCtl.target(spec).json; // the global --json
            var r = Feedbacks.resolution();
            boolean ok = r.resolved().equals(Feedbacks.GPIOD);
            if (json) {
                var n = Daemon.JSON.createObjectNode();
                n.put("resolved", r.resolved());
                n.put("ok", ok);
                r.plugins().forEach(n.putArray("plugins")::add);
                Daemon.print(n);
            } else {
                System.out.println("pi4j plugins  " + String.join(", ", r.plugins()));
                System.out.println("gpio.platform=pi resolves to " + r.resolved() + (ok ? "" : "  (NOT " + Feedbacks.GPIOD
                        + ": buzzer and LEDs would not be driven; reinstall the onecard-pos package)"));
            }
            return ok ? 0 : PosCtl.EXIT_FAULT;
        }
    }
}
