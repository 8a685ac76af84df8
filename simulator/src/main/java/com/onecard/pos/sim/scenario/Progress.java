package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Simulation;

import java.io.PrintStream;

/** The live line while a scenario runs: counts, backlog and elapsed time, every two seconds. */
public final class Progress implements AutoCloseable {
    private static final long PERIOD_MS = 2000;
    private final Simulation sim;
    private final PrintStream out;
    private final boolean tty;
    private final long t0 = System.nanoTime();
    private final Thread thread;
    private volatile boolean done;

    public Progress(Simulation sim, PrintStream out, boolean tty) {
        this.sim = sim;
        this.out = out;
        this.tty = tty;
        this.thread = new Thread(this::run, "progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!done) {
            Rush.pause(PERIOD_MS);
            if (done || sim.stopping()) {
                return;
            }
            long backlog = sim.sampleBacklog();
            String line = String.format("[%6.1f s] approved %d  declined %d  qr %d  top-ups %d  backlog %d (peak %d)",
                    (System.nanoTime() - t0) / 1e9, sim.approvedCount(), sim.declinedCount(), sim.verdict().qrPaid,
                    sim.verdict().topups, backlog, sim.verdict().backlogPeak);
            if (tty) {
                out.print("\r" + line + "   ");
                out.flush();
            } else {
                out.println(line);
            }
        }
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        if (tty) {
            out.println();
        }
    }
}
