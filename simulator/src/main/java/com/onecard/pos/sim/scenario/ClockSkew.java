package com.onecard.pos.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The last window's clock runs hours ahead. Sales still reach the center exactly once, and the
 * offset the terminal learns from the center (status sync.clock_offset_ms) shows the skew.
 */
final class ClockSkew implements Scenario {
    static final Duration SKEW = Duration.ofHours(3);
    private static final long TOLERANCE_MS = 5_000;
    private String skewed;

    @Override
    public String name() {
        return "clock-skew";
    }

    @Override
    public int defaultTerminals() {
        return 2;
    }

    @Override
    public void configure(Simulation sim) {
        skewed = Simulation.terminalId(sim.terminalCount() - 1);
        sim.clockOffset(skewed, SKEW);
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        sim.out().printf("%nclock skew: %s runs %s ahead; %d windows, %d s rush%n", skewed, SKEW, sim.windows().size(),
                settings.duration().toSeconds());
        Rush.run(sim, settings.duration(), (w, r) -> {
            if (r.nextInt(10) == 0) {
                sim.topUp(normal.get(r.nextInt(normal.size())), 20);
            } else {
                Rush.tap(sim, w, normal.get(r.nextInt(normal.size())), Rush.dish(r));
            }
        });
        for (Window w : sim.windows()) {
            long expect = w.id().equals(skewed) ? -SKEW.toMillis() : 0;
            long offset = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                JsonNode st = w.terminal().probe("status");
                offset = st.path("sync").path("clock_offset_ms").asLong();
                if (Math.abs(offset - expect) <= TOLERANCE_MS) {
                    break;
                }
                Rush.pause(200);
            } while (System.nanoTime() < deadline);
            sim.verdict().figures.put("clock_offset_ms " + w.id(), offset);
            sim.verdict().check("center_reported_clock_offset_matches_skew", Math.abs(offset - expect) <= TOLERANCE_MS,
                    w.id() + " reports a clock offset of " + offset + " ms, expected about " + expect + " ms");
        }
    }
}
