package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Verdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two center instances on one database behind a balancer, the windows spread over them; in the
 * middle of the rush one instance is SIGKILLed and its windows move to the other. Everything
 * the verdict checks must still hold, and every online approval's hold must have been consumed
 * by its sale (none left holding a student's money).
 */
final class Failover implements Scenario {
    @Override
    public String name() {
        return "failover";
    }

    @Override
    public int defaultTerminals() {
        return 4;
    }

    @Override
    public void configure(Simulation sim) {
        sim.centerInstances(2);
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        List<Student> poor = Rush.ofKind(sim, Student.Kind.POOR);
        long total = settings.duration().toMillis();
        long before = Math.max(1500, total / 3);
        sim.out().printf("%nfailover: %d windows over 2 center instances, rush %d s, the second instance killed after"
                + " %d s%n", sim.windows().size(), total / 1000, before / 1000);
        Thread rush = Rush.start(sim, settings.duration(), (w, r) -> {
            Student s = r.nextInt(8) == 0 && !poor.isEmpty() ? poor.get(r.nextInt(poor.size()))
                    : normal.get(r.nextInt(normal.size()));
            Rush.tap(sim, w, s, Rush.dish(r));
        });
        Rush.pause(before);
        Set<String> onFirst = sim.center().gateway().connectedTerminals();
        moved = sim.windows().size() - onFirst.size();
        resumedBefore = sim.center().gateway().tlsSessionsResumed();
        try {
            sim.killSecondCenter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        sim.out().printf("center      second instance KILLED (SIGKILL); %d of %d windows were on the first%n",
                onFirst.size(), sim.windows().size());
        Rush.join(rush);
        sim.verdict().check("windows_were_spread_over_both_instances", onFirst.size() < sim.windows().size(),
                "every window was on the first instance before the kill: the kill proved nothing");
    }

    /** Windows on the killed instance, and the survivor's resumed TLS sessions before the kill (-1: the JDK's TLS). */
    private int moved;
    private long resumedBefore = -1;

    @Override
    public void afterVerify(Simulation sim) {
        Verdict v = sim.verdict();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sim.center().gateway().connectedTerminals().size() < sim.windows().size() && System.nanoTime() < deadline) {
            Rush.pause(100);
        }
        v.check("every_window_reconnected_to_the_surviving_instance",
                sim.center().gateway().connectedTerminals().size() == sim.windows().size(),
                "on the surviving instance: " + sim.center().gateway().connectedTerminals());
        // Both instances read one sync.ticket-secret-file: a window that moved offers the killed instance's ticket
        // and the survivor opens it (no certificate signatures), still as the window's certificate (its Hello).
        long resumed = sim.center().gateway().tlsSessionsResumed() - resumedBefore;
        if (resumedBefore >= 0) {
            v.check("the_moved_windows_resumed_their_tls_sessions", resumed >= moved,
                    resumed + " TLS sessions resumed on the survivor for " + moved + " windows that moved to it");
        }
        List<String> held = new ArrayList<>();
        int online = 0;
        List<Outcome> outcomes;
        synchronized (v) {
            outcomes = new ArrayList<>(v.outcomes);
        }
        for (Outcome o : outcomes) {
            if (o.approved() && o.mode().equals("online")) {
                online++;
                String state = sim.center().ledger().holds().state(o.saleId());
                if (!"CONSUMED".equals(state)) {
                    held.add(o.saleId() + "=" + state);
                }
            }
        }
        v.check("every_online_hold_consumed_by_its_sale", held.isEmpty() && online > 0,
                online + " online approvals; not consumed: " + held);
    }
}
