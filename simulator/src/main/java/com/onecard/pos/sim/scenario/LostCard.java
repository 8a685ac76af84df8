package com.onecard.pos.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Mid-rush, a student reports the card lost in the app; every window must refuse it soon after,
 * a tap elsewhere is refused LOST and the owner hears of it; a finder registers the card, the
 * owner is told; the loss is cancelled and the card works again.
 */
final class LostCard implements Scenario {
    private static final long DEADLINE_MS = 10_000;

    @Override
    public String name() {
        return "lost-card";
    }

    @Override
    public int defaultTerminals() {
        return 2;
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        Student victim = normal.get(0);
        List<Student> queue = normal.subList(1, normal.size());
        Window first = sim.windows().get(0);
        Window other = sim.windows().get(sim.windows().size() - 1);
        sim.out().printf("%nlost card: %s (account %d, card %s) loses the card mid-rush; %d windows, %d s%n", victim.name(),
                victim.accountId(), victim.uidHex(), sim.windows().size(), settings.duration().toSeconds());
        Thread rush = Rush.start(sim, settings.duration(), (w, r) -> Rush.tap(sim, w, queue.get(r.nextInt(queue.size())), Rush.dish(r)));
        try {
            Outcome before = Rush.tap(sim, first, victim, 800);
            sim.verdict().check("card_works_before_loss", before.approved(), "victim's first sale " + before.reason());
            Rush.pause(settings.duration().toMillis() / 4);

            long t0 = System.nanoTime();
            JsonNode loss = sim.app(victim).reportLoss(victim.password());
            sim.verdict().check("loss_reported_in_app", loss.path("http_status").asInt() == 200, "loss refused: " + loss);
            boolean everywhere = awaitAll(sim, victim, true, n -> n.path("blacklisted").asBoolean());
            sim.verdict().blacklistPropagationMs = everywhere ? (System.nanoTime() - t0) / 1e6 : -1;
            sim.verdict().check("lost_card_blacklisted_everywhere", everywhere,
                    "not every terminal blacklisted " + victim.uidHex() + " within " + DEADLINE_MS + " ms");
            sim.out().printf("loss        reported; every window%s refuses %s after %.0f ms%n",
                    sim.lights() == null ? "" : " and " + sim.lights().size() + " light terminals", victim.uidHex(),
                    sim.verdict().blacklistPropagationMs);

            int messagesBefore = messages(sim, victim);
            Outcome refused = Rush.tap(sim, other, victim, 900);
            sim.verdict().check("lost_card_refused_at_window", !refused.approved() && refused.reason().equals("LOST"),
                    "lost card at " + other.id() + " was " + (refused.approved() ? "approved" : refused.reason()));
            sim.verdict().check("owner_messaged_on_sighting", awaitMessages(sim, victim, messagesBefore + 1),
                    "no message to " + victim.accountId() + " after the lost card was seen at " + other.id());

            int beforeFound = messages(sim, victim);
            Student finder = queue.get(0);
            JsonNode found = sim.app(finder).reportFoundCard(victim.uidHex(), "north canteen, " + other.id());
            sim.verdict().check("found_card_owner_messaged", found.path("http_status").asInt() == 200
                    && awaitMessages(sim, victim, beforeFound + 1), "found card registration: " + found);

            JsonNode unloss = sim.app(victim).cancelLoss(victim.password());
            boolean cleared = unloss.path("http_status").asInt() == 200 && awaitAll(sim, victim, false, n -> !n.path("blacklisted").asBoolean()
                    && n.path("account").path("status").asText().equals("ACTIVE"));
            Outcome again = Rush.tap(sim, other, victim, 700);
            sim.verdict().check("unlossed_card_works_again", cleared && again.approved(),
                    "after unloss: cleared " + cleared + ", sale " + (again.approved() ? "approved" : again.reason()));
        } finally {
            Rush.join(rush);
        }
    }

    private static boolean awaitAll(Simulation sim, Student s, boolean listed, Predicate<JsonNode> ok) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
        for (Window w : sim.windows()) {
            while (!ok.test(w.terminal().probe("card", "uid", s.uidHex()))) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Rush.pause(2);
            }
        }
        if (sim.lights() != null) {
            while (sim.lights().holding(s.uidHex(), listed) < sim.lights().size()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Rush.pause(2);
            }
        }
        return true;
    }

    private static int messages(Simulation sim, Student s) {
        return sim.app(s).messages().path("items").size();
    }

    private static boolean awaitMessages(Simulation sim, Student s, int atLeast) {
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (messages(sim, s) >= atLeast) {
                return true;
            }
            Rush.pause(100);
        }
        return false;
    }
}
