package com.onecard.pos.terminal.testutil;

import com.onecard.pos.terminal.cli.PosCtl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs posctl in this JVM and keeps what it printed. Not for parallel tests (it swaps System.out). */
public final class PosCtlRun {
    public final int exit;
    public final String out;
    public final String err;

    private PosCtlRun(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    public static synchronized PosCtlRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = PosCtl.run(args);
            System.out.flush();
            System.err.flush();
            return new PosCtlRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nout:\n" + out + "err:\n" + err;
    }
}
