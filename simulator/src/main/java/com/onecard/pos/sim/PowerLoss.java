package com.onecard.pos.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;

/**
 * Power cuts during a rush: the daemon is killed with SIGKILL at random moments while students
 * keep tapping, then restarted on the same data, again and again. What must hold afterwards is
 * checked by {@link Simulation#verify}: no approved sale missing or doubled, the chain intact,
 * balances conserved.
 */
public final class PowerLoss {
    private PowerLoss() {
    }

    /**
     * @param kills   how many SIGKILLs
     * @param maxGapMs a kill comes 0..maxGapMs after the previous restart
     */
    public static void run(Simulation sim, int kills, long maxGapMs, long seed, PrintStream out) throws IOException {
        run(sim, sim.windows().get(0), kills, maxGapMs, seed, out);
    }

    /** Power cuts at one window; several windows may run this in parallel threads. */
    public static void run(Simulation sim, Window w, int kills, long maxGapMs, long seed, PrintStream out) throws IOException {
        Random r = new Random(seed);
        List<Student> payers = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
        out.printf("%npower loss: %d SIGKILLs of the daemon at %s during a rush%n", kills, w.id());
        for (int k = 1; k <= kills && !sim.stopping(); k++) {
            long gap = r.nextLong(maxGapMs + 1);
            Thread killer = new Thread(() -> {
                TerminalProcess.pause(gap);
                w.terminal().kill();
            }, "power-cut");
            killer.start();
            int sales = 0;
            while (w.terminal().alive()) {
                Student s = payers.get(r.nextInt(payers.size()));
                try {
                    w.tap(s, 100 + r.nextInt(5) * 100L);
                    sales++;
                } catch (IOException e) {
                    break; // the daemon died under the sale: its outcome is unknown to the cashier
                }
            }
            try {
                killer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            synchronized (sim.verdict()) {
                sim.verdict().kills++;
            }
            long t0 = System.nanoTime();
            sim.restartTerminal(w);
            out.printf("%s kill %2d after %3d ms (%d sales decided before it), back in %.0f ms%n", w.id(), k, gap, sales,
                    (System.nanoTime() - t0) / 1e6);
        }
    }
}
