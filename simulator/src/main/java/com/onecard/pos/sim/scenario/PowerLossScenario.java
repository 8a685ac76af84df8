package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.PowerLoss;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SIGKILL and restart of every window's daemon during a rush, all windows at once. */
final class PowerLossScenario implements Scenario {
    @Override
    public String name() {
        return "power-loss";
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Thread> threads = new ArrayList<>();
        List<IOException> failures = new ArrayList<>();
        for (int i = 0; i < sim.windows().size(); i++) {
            Window w = sim.windows().get(i);
            long seed = sim.seed() * 17 + i;
            Thread t = new Thread(() -> {
                try {
                    PowerLoss.run(sim, w, settings.kills(), 1200, seed, sim.out());
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "power-loss-" + w.id());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            Rush.join(t);
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
