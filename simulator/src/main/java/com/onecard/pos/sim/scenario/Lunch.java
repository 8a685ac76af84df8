package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Simulation;

import java.io.IOException;

/** The walking skeleton: every student taps once at the first window. */
final class Lunch implements Scenario {
    @Override
    public String name() {
        return "lunch";
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        sim.lunch();
    }
}
