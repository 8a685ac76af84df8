package com.onecard.pos.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.ledger.Flags;
import com.onecard.pos.sim.Outcome;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;
import com.onecard.pos.sim.app.PaycodePhone;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * 支付码 with the center unreachable: students' phones get their device keys certified while
 * the center is up (one then logs out, one reports the card lost); the center goes away; at the
 * windows students pay by code, offline. A screenshot used twice, an old screenshot, an edited
 * code, the logged-out phone's code and the lost card's code are each refused with their own
 * reason. The center comes back, every PAYCODE_SALE reaches it and is applied exactly once (no
 * refusal flagged), and the ledger matches every approved sale ({@link Simulation#verify}).
 */
final class PaycodeScenario implements Scenario {
    private static final long DEADLINE_MS = 10_000;

    @Override
    public String name() {
        return "paycode";
    }

    @Override
    public int defaultTerminals() {
        return 2;
    }

    @Override
    public void configure(Simulation sim) {
        sim.scanners();
    }

    @Override
    public void run(Simulation sim, Settings settings) throws IOException {
        List<Student> normal = Rush.normal(sim);
        if (normal.size() < 4) {
            throw new IllegalStateException("the paycode scenario needs at least 4 normal students, got " + normal.size());
        }
        Student leaver = normal.get(0);
        Student loser = normal.get(1);
        List<Student> payers = normal.subList(2, normal.size());
        Map<Long, PaycodePhone> phones = new TreeMap<>();
        for (Student s : normal) {
            phones.put(s.accountId(), PaycodePhone.certify(sim.app(s)));
        }
        sim.out().printf("%npaycode: %d phones certified; %s logs out, %s reports the card lost; then the center goes away%n",
                phones.size(), leaver.name(), loser.name());
        Map<String, Long> cursors = paycodeCursors(sim);
        JsonNode out = sim.app(leaver).logout();
        sim.verdict().check("paycode_logout_accepted", out.path("http_status").asInt() == 200, "logout: " + out);
        sim.verdict().check("paycode_revocation_reached_every_window", awaitCursorsPast(sim, cursors),
                "a window did not receive the revocation within " + DEADLINE_MS + " ms");
        JsonNode loss = sim.app(loser).reportLoss(loser.password());
        sim.verdict().check("paycode_loss_reported", loss.path("http_status").asInt() == 200, "loss: " + loss);
        sim.verdict().check("paycode_lost_card_reached_every_window", awaitListed(sim, loser),
                "a window did not list " + loser.uidHex() + " within " + DEADLINE_MS + " ms");

        sim.stopCenter();
        sim.out().println("center      DOWN: windows take payment codes offline");
        Random r = new Random(sim.verdict().seed);
        List<Window> windows = sim.windows();
        long until = System.nanoTime() + settings.duration().toNanos();
        int paid = 0;
        int i = 0;
        while ((System.nanoTime() < until || paid < payers.size()) && !sim.stopping() && paid < 200) {
            Student s = payers.get(i % payers.size());
            Window w = windows.get(i % windows.size());
            Outcome o = w.paycode(s, phones.get(s.accountId()).code(), Rush.dish(r));
            i++;
            if (o.approved()) {
                paid++;
            } else if (!o.reason().equals("INSUFFICIENT_FUNDS") && !o.reason().startsWith("OVER_")) {
                sim.verdict().check("paycode_pays_offline", false, "code of " + s.name() + " at " + w.id() + " refused "
                        + o.reason());
            }
        }
        sim.verdict().check("paycode_pays_offline", paid > 0, "no payment code approved offline");

        Window w = windows.get(0);
        Student s = payers.get(0);
        String screenshot = phones.get(s.accountId()).code();
        expect(sim, "paycode_first_use_approved", w.paycode(s, screenshot, 500), null);
        expect(sim, "paycode_screenshot_used_twice_refused", w.paycode(s, screenshot, 500), "PAYCODE_REPLAYED");
        expect(sim, "paycode_old_screenshot_refused", w.paycode(s, phones.get(s.accountId()).codeFrom(Duration.ofMinutes(5)), 500),
                "PAYCODE_EXPIRED");
        expect(sim, "paycode_edited_code_refused", w.paycode(s, PaycodePhone.edited(phones.get(s.accountId()).code()), 500),
                "PAYCODE_BAD_CERTIFICATE");
        expect(sim, "paycode_logged_out_phone_refused", w.paycode(leaver, phones.get(leaver.accountId()).code(), 500),
                "PAYCODE_REVOKED");
        expect(sim, "paycode_lost_card_refused", w.paycode(loser, phones.get(loser.accountId()).code(), 500), "LOST");
        sim.out().printf("paycode     %d sales paid by code offline; each refusal with its reason%n", paid + 1);

        sim.startCenter();
        long back = System.nanoTime();
        while (sim.sampleBacklog() > 0 && System.nanoTime() - back < 60_000_000_000L) {
            Rush.pause(50);
        }
        sim.out().printf("center      BACK; backlog drained in %.1f s%n", (System.nanoTime() - back) / 1e9);
    }

    @Override
    public void afterVerify(Simulation sim) {
        long approved = sim.verdict().outcomes.stream().filter(o -> o.approved() && o.mode().equals("paycode")).count();
        long atCenter = 0;
        List<String> refused = new ArrayList<>();
        for (Window w : sim.windows()) {
            for (JournalRow row : sim.center().ledger().ingest().appliedRows(w.id())) {
                if (row.getKind() == RowKind.PAYCODE_SALE) {
                    atCenter++;
                }
            }
            for (Flags.Flag f : sim.center().ledger().flags().list(w.id(), 1000)) {
                if (f.code().startsWith("PAYCODE")) {
                    refused.add(f.code() + " " + f.detail());
                }
            }
        }
        sim.verdict().figures.put("paycode_sales", approved);
        sim.verdict().check("every_paycode_sale_applied_once_at_center", approved > 0 && atCenter == approved && refused.isEmpty(),
                approved + " approved by code, " + atCenter + " PAYCODE_SALE rows at the center, refused: " + refused);
    }

    private static void expect(Simulation sim, String check, Outcome o, String reason) {
        boolean ok = reason == null ? o.approved() : !o.approved() && o.reason().equals(reason);
        sim.verdict().check(check, ok, "expected " + (reason == null ? "approved" : reason) + ", got "
                + (o.approved() ? "approved" : o.reason()));
    }

    private static Map<String, Long> paycodeCursors(Simulation sim) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (Window w : sim.windows()) {
            m.put(w.id(), w.terminal().call("status").path("cache").path("cursors").path("paycode").asLong());
        }
        return m;
    }

    private static boolean awaitCursorsPast(Simulation sim, Map<String, Long> before) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
        for (Window w : sim.windows()) {
            while (w.terminal().call("status").path("cache").path("cursors").path("paycode").asLong() <= before.get(w.id())) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Rush.pause(20);
            }
        }
        return true;
    }

    private static boolean awaitListed(Simulation sim, Student s) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
        for (Window w : sim.windows()) {
            while (!w.terminal().probe("card", "uid", s.uidHex()).path("blacklisted").asBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Rush.pause(20);
            }
        }
        return true;
    }
}
