package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The center goes away in the middle of the rush and comes back on the same port and ledger:
 * windows keep selling offline, then every backlog drains. Measures the peak backlog and the time
 * from the center's return to every backlog empty.
 */
final class Outage implements Scenario {
    @Override
    public String name() {
        return "outage";
    }

    @Override
    public int defaultTerminals() {
        return 2;
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        List<Student> poor = Rush.ofKind(sim, Student.Kind.POOR);
        long total = settings.duration().toMillis();
        long before = Math.max(1000, total / 4);
        long down = Math.max(2000, total / 3);
        sim.out().printf("%noutage: %d windows, rush %d s, center down after %d s for %d s%n", sim.windows().size(),
                total / 1000, before / 1000, down / 1000);
        Thread rush = Rush.start(sim, settings.duration(), (w, r) -> {
            Student s = r.nextInt(10) == 0 ? poor.get(r.nextInt(poor.size())) : normal.get(r.nextInt(normal.size()));
            Rush.tap(sim, w, s, Rush.dish(r));
        });
        Rush.pause(before);
        long approvedBefore = sim.verdict().approved();
        sim.stopCenter();
        sim.out().println("center      DOWN: sync server and app API closed");
        long downUntil = System.nanoTime() + down * 1_000_000;
        while (System.nanoTime() < downUntil && !sim.stopping()) {
            sim.sampleBacklog();
            Rush.pause(200);
        }
        long offlineBacklog = sim.sampleBacklog();
        sim.startCenter();
        long back = System.nanoTime();
        sim.out().printf("center      BACK on port %d with the same ledger; backlog %d%n", sim.center().syncPort(), offlineBacklog);
        double drain = -1;
        long deadline = back + 60_000_000_000L;
        while (System.nanoTime() < deadline && !sim.stopping()) {
            if (sim.sampleBacklog() == 0) {
                drain = (System.nanoTime() - back) / 1e9;
                break;
            }
            Rush.pause(50);
        }
        sim.verdict().drainSeconds = drain;
        Rush.join(rush);
        sim.verdict().check("sales_continued_during_outage", sim.verdict().approved() > approvedBefore && offlineBacklog > 0,
                "no sale approved offline while the center was down (backlog " + offlineBacklog + ")");
        sim.verdict().check("backlog_drained_after_outage", drain >= 0, "backlog not empty 60 s after the center came back");
    }
}
