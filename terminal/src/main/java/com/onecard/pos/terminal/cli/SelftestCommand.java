package com.onecard.pos.terminal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "selftest", description = "Check every component (store, journal chain, reader, scanner, keypad, buzzer/LEDs, center link, keys, disk, clock); non-zero exit on any fault.")
final class SelftestCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }

    @Option(names = "--full", description = "walk the whole journal chain, not only the rows since the last check (takes seconds on a large journal; sales go on meanwhile)")
    boolean full;

    @Option(names = "--feedback", description = "also blink the green LED, then the red one, and beep once (as posctl feedback test)")
    boolean feedback;

    @Override
    public Integer call() {
        JsonNode r = Daemon.call(target(), "selftest", q -> q.put("full", full).put("feedback", feedback));
        if (target().json) {
            Daemon.print(r);
        } else {
            for (JsonNode c : r.path("checks")) {
                System.out.printf("%-6s %-10s %s%n", c.path("ok").asBoolean() ? "ok" : "FAULT", c.path("name").asText(), c.path("detail").asText());
            }
        }
        return r.path("passed").asBoolean() ? 0 : PosCtl.EXIT_FAULT;
    }
}
