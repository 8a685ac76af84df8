package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad reader cable during the rush: line noise, corrupted responses, dropped ACKs and a few
 * unplug/replug cycles. No tap may be invented or given to the wrong card, and every window sells
 * again after each replug.
 */
final class SerialFaults implements Scenario {
    @Override
    public String name() {
        return "serial-faults";
    }

    @Override
    public void afterVerify(Simulation sim) {
        sim.verdict().check("no_false_taps", sim.verdict().committedUnannounced == 0,
                sim.verdict().committedUnannounced + " sales journaled that no cashier was told of");
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        AtomicLong presented = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        long total = settings.duration().toMillis();
        int replugs = total >= 20_000 ? 3 : 2;
        String[] faults = new String[replugs * 2];
        for (int i = 0; i < faults.length; i++) {
            faults[i] = i % 2 == 1 ? "replug" : new String[]{"noise", "corrupt", "drop-acks"}[(i / 2) % 3];
        }
        sim.out().printf("%nserial faults: %d windows, %d s rush, faults %s%n", sim.windows().size(), total / 1000,
                String.join(", ", faults));
        sim.verdict().check("no_false_taps", true, "");
        Thread rush = Rush.start(sim, settings.duration(), (w, r) -> {
            Student s = normal.get(r.nextInt(normal.size()));
            presented.incrementAndGet();
            Rush.tap(sim, w, s, Rush.dish(r));
            answered.incrementAndGet();
        });
        long step = total / (faults.length + 1);
        int replugged = 0;
        int replugTaps = 0;
        boolean salesAfterReplug = true;
        try {
            for (String fault : faults) {
                Rush.pause(step);
                if (sim.stopping()) {
                    break;
                }
                for (Window w : sim.windows()) {
                    switch (fault) {
                        case "noise" -> w.emulator().setNoise(4);
                        case "corrupt" -> w.emulator().corruptNextResponses(3);
                        case "drop-acks" -> w.emulator().dropNextAcks(3);
                        default -> {
                            w.replug(Duration.ofMillis(300));
                            boolean back = w.awaitReader(Duration.ofSeconds(15));
                            Outcome o = Rush.tap(sim, w, normal.get(0), 100);
                            replugTaps++;
                            salesAfterReplug &= back && o.approved();
                            sim.out().printf("replug      %s: reader %s, next sale %s%n", w.id(), back ? "back" : "NOT back",
                                    o.approved() ? "approved" : o.reason());
                        }
                    }
                }
                if (fault.equals("replug")) {
                    replugged++;
                }
                if (fault.equals("noise")) {
                    Rush.pause(Math.min(step, 1500));
                    sim.windows().forEach(w -> w.emulator().setNoise(0));
                }
            }
        } finally {
            Rush.join(rush);
            sim.windows().forEach(w -> w.emulator().setNoise(0));
        }
        sim.verdict().figures.put("presentations", presented.get() + " presented, " + answered.get() + " answered");
        sim.verdict().figures.put("replugs", replugged);
        // a genuine card refused as a bad credential means a garbled read reached the credential check
        sim.verdict().figures.put("false_declines", sim.verdict().outcomes.stream()
                .filter(o -> o.kind() == Student.Kind.NORMAL && o.reason().equals("BAD_CREDENTIAL")).count()
                + " genuine cards declined BAD_CREDENTIAL");
        sim.verdict().check("sales_continue_after_replug", salesAfterReplug && replugged > 0, "a window did not sell after a replug");
        sim.verdict().check("one_outcome_per_answered_presentation", sim.verdict().outcomes.size() == answered.get() + replugTaps,
                (answered.get() + replugTaps) + " presentations answered but " + sim.verdict().outcomes.size() + " outcomes");
    }
}
