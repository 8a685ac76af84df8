package com.onecard.pos.terminal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The card password for the sale waiting for it. Read from standard input (a prompt without
 * echo on a terminal), never from the command line, where {@code ps} and the shell's history
 * would show it to everyone on the machine.
 */
@Command(name = "pin", description = {"Enter the card password for the sale waiting for it (what the keypad sends).",
        "The password is read from standard input (typed at a prompt that does not echo, or piped), never from the command line."})
final class PinCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --socket, --config and --json, given before or after the command name. */
    private PosCtl.Target target() {
        return PosCtl.target(spec);
    }


    /** Only to refuse it with a reason: a password on the command line is visible to every user. */
    @Parameters(arity = "0..1", hidden = true)
    String onCommandLine;

    @Override
    public Integer call() throws IOException {
        if (onCommandLine != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the card password is never given on the command line (ps and the shell history would show it);"
                            + " run 'posctl pin' and type it at the prompt, or pipe it to standard input");
        }
        String pin = read();
        if (pin == null || pin.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no card password on standard input");
        }
        var r = Daemon.call(target(), "pin", q -> q.put("pin", pin));
        if (target().json) {
            Daemon.print(r);
        } else {
            System.out.println("password entered");
        }
        return 0;
    }

    private static String read() throws IOException {
        var console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("card password: ");
            return typed == null ? null : new String(typed).trim();
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.trim();
    }
}
