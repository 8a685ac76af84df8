package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;

import java.io.IOException;
import java.time.LocalTime;
import java.util.List;

/**
 * Lunch at fixed meal prices with queues at several windows: card taps at the period's price,
 * scan-to-pay with the app, top-ups during the rush, poor students declined, and one student
 * who tries a third meal past the period's limit of two.
 */
final class LunchRush implements Scenario {
    static final long MEAL_FEN = 1200;

    @Override
    public String name() {
        return "lunch-rush";
    }

    @Override
    public int defaultTerminals() {
        return 2;
    }

    @Override
    public void configure(Simulation sim) {
        sim.pricing(periodAroundNow(MEAL_FEN, 2));
    }

    /** A "lunch" period from an hour ago to two hours ahead, kept within the day. */
    static String periodAroundNow(long priceFen, int countLimit) {
        LocalTime now = LocalTime.now().withSecond(0).withNano(0);
        LocalTime start = now.getHour() >= 1 ? now.minusHours(1) : LocalTime.MIDNIGHT;
        LocalTime end = now.getHour() < 21 ? now.plusHours(2) : LocalTime.of(23, 59);
        return String.format("lunch %s-%s %d %d", start, end, priceFen, countLimit);
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        List<Student> poor = Rush.ofKind(sim, Student.Kind.POOR);
        Student greedy = normal.get(0);
        List<Student> queue = normal.subList(1, normal.size());
        sim.out().printf("%nlunch rush: %d windows, fixed price %s, %d s; %s tries three meals%n", sim.windows().size(),
                com.onecard.pos.display.Yuan.format(MEAL_FEN), settings.duration().toSeconds(), greedy.name());
        Outcome third = null;
        for (int i = 0; i < 3; i++) {
            third = Rush.tap(sim, sim.windows().get(0), greedy, 0);
        }
        sim.verdict().check("meal_count_limit_enforced", !third.approved() && third.reason().equals("MEAL_LIMIT"),
                "third meal for " + greedy.name() + " was " + (third.approved() ? "approved" : third.reason()));
        Rush.run(sim, settings.duration(), (w, r) -> {
            int roll = r.nextInt(100);
            if (roll < 20) {
                Student payer = queue.get(r.nextInt(queue.size()));
                w.qr(payer, Rush.dish(r), sim.app(payer));
            } else if (roll < 27) {
                Rush.tap(sim, w, poor.get(r.nextInt(poor.size())), 0);
            } else if (roll < 35) {
                sim.topUp(queue.get(r.nextInt(queue.size())), 10 + r.nextInt(91));
            } else {
                Rush.tap(sim, w, queue.get(r.nextInt(queue.size())), 0);
            }
        });
        sim.verdict().check("qr_payments_made", sim.verdict().qrPaid > 0, "no QR payment went through");
    }
}
