package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Queues at every window at once: one thread per window serves students until the time is up. */
public final class Rush {
    /** What happens at a window when the next student steps up. */
    public interface Step {
        void serve(Window w, Random r) throws IOException;
    }

    private Rush() {
    }

    /** Runs {@code step} at every window for {@code length}; a failed step is noted and the queue moves on. */
    public static void run(Simulation sim, Duration length, Step step) {
        long deadline = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sim.windows().size(); i++) {
            Window w = sim.windows().get(i);
            Random r = new Random(sim.seed() * 31 + i);
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline && !sim.stopping()) {
                    try {
                        step.serve(w, r);
                    } catch (IOException | RuntimeException e) {
                        if (sim.stopping()) {
                            return;
                        }
                        sim.note(w.id() + ": " + e.getMessage());
                        pause(200);
                    }
                    pause(20 + r.nextInt(80));
                }
            }, "queue-" + w.id());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sim.stop();
                return;
            }
        }
    }

    /** Runs the rush in the background; join the thread to wait for its end. */
    public static Thread start(Simulation sim, Duration length, Step step) {
        Thread t = new Thread(() -> run(sim, length, step), "rush");
        t.start();
        return t;
    }

    public static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static List<Student> normal(Simulation sim) {
        return sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL).toList();
    }

    public static List<Student> ofKind(Simulation sim, Student.Kind kind) {
        return sim.students().stream().filter(s -> s.kind() == kind).toList();
    }

    /** A keyed amount, 3.00 to 15.50 yuan. */
    public static long dish(Random r) {
        return 300 + r.nextInt(26) * 50L;
    }

    /** A card sale; checks that the outcome belongs to the card presented. */
    public static Outcome tap(Simulation sim, Window w, Student s, long amount) throws IOException {
        Outcome o = w.tap(s, amount);
        if (!o.uid().isEmpty() && !o.uid().equalsIgnoreCase(s.uidHex())) {
            sim.verdict().check("no_false_taps", false, "sale " + o.saleId() + " at " + w.id() + " presented " + s.uidHex()
                    + " but decided for " + o.uid());
        }
        return o;
    }

    public static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
