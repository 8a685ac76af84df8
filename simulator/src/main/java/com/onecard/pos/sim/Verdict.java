package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a simulation run shows: counts, figures and named invariants. */
public final class Verdict {
    public String scenario = "lunch";
    public long seed;
    public final List<Outcome> outcomes = new ArrayList<>();
    public long topups;
    public long qrPaid;
    public long uploaded;
    public long acknowledged;
    public long backlogPeak;
    /** Sales committed to the journal whose outcome never reached the cashier (a kill between commit and beep). */
    public long committedUnannounced;
    public long kills;
    public double drainSeconds;
    public double blacklistPropagationMs = -1;
    public final Map<String, Boolean> invariants = new LinkedHashMap<>();
    public final List<String> problems = new ArrayList<>();
    /** Worth knowing, not a failure by itself (a refused top-up, a presentation the reader missed). */
    public final List<String> notes = new ArrayList<>();
    /** Accounts below zero at the center: offline sales beyond the balance, allowed by the offline caps. */
    public final List<String> overdrafts = new ArrayList<>();
    /** Named figures a scenario adds (replugs, presentations, skew...). */
    public final Map<String, Object> figures = new LinkedHashMap<>();
    public long offlineSales;
    public int terminals = 1;
    public double elapsedSeconds;

    public long approved() {
        return outcomes.stream().filter(Outcome::approved).count();
    }

    public Map<String, Long> declined() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.stream().filter(o -> !o.approved()).forEach(o -> m.merge(o.reason(), 1L, Long::sum));
        return m;
    }

    private Map<String, Boolean> invariantsBeforeVerify;
    private List<String> problemsBeforeVerify;

    /** Remembers the scenario's own checks, so that {@link #forgetVerification} can verify again later. */
    public synchronized void beforeVerify() {
        invariantsBeforeVerify = new LinkedHashMap<>(invariants);
        problemsBeforeVerify = new ArrayList<>(problems);
    }

    /**
     * Undoes a verification (counts, invariants and problems it added) so that it can run again on
     * what happened since, as when a kept simulation stops.
     */
    public synchronized void forgetVerification() {
        if (invariantsBeforeVerify != null) {
            invariants.clear();
            invariants.putAll(invariantsBeforeVerify);
            problems.clear();
            problems.addAll(problemsBeforeVerify);
        }
        uploaded = 0;
        acknowledged = 0;
        committedUnannounced = 0;
        offlineSales = 0;
        overdrafts.clear();
    }

    public boolean passed() {
        return approved() > 0 && !invariants.isEmpty() && invariants.values().stream().allMatch(b -> b);
    }

    public synchronized void check(String name, boolean ok, String problem) {
        invariants.merge(name, ok, Boolean::logicalAnd);
        if (!ok) {
            problems.add(name + ": " + problem);
        }
    }

    double percentile(double p) {
        double[] v = outcomes.stream().filter(o -> o.tapToDecisionMs() > 0).mapToDouble(Outcome::tapToDecisionMs).sorted().toArray();
        if (v.length == 0) {
            return 0;
        }
        return v[Math.min(v.length - 1, (int) Math.ceil(p * v.length) - 1)];
    }

    public synchronized String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n=== verdict: %s (seed %d, %d terminal%s, %.1f s) ===%n", scenario, seed, terminals,
                terminals == 1 ? "" : "s", elapsedSeconds));
        b.append(String.format("approved            %d (%s)%n", approved(),
                com.onecard.pos.display.Yuan.format(outcomes.stream().filter(Outcome::approved).mapToLong(Outcome::amountFen).sum())));
        b.append(String.format("declined            %d %s%n", outcomes.size() - approved(), declined()));
        b.append(String.format("uploaded            %d approved sales at the center%n", uploaded));
        b.append(String.format("acknowledged        %d approved sales acknowledged to the terminal%n", acknowledged));
        if (kills > 0) {
            b.append(String.format("kills               %d SIGKILLs of the daemon; %d sales committed but not announced%n", kills, committedUnannounced));
        }
        b.append(String.format("qr paid / top-ups   %d / %d%n", qrPaid, topups));
        b.append(String.format("tap to decision     p50 %.1f ms, p99 %.1f ms%n", percentile(0.50), percentile(0.99)));
        b.append(String.format("offline sales       %d journaled offline; backlog peak %d, drained in %.2f s%n", offlineSales,
                backlogPeak, drainSeconds));
        if (blacklistPropagationMs >= 0) {
            b.append(String.format("blacklist           loss reported -> every terminal refuses in %.0f ms%n", blacklistPropagationMs));
        }
        figures.forEach((k, v) -> b.append(String.format("%-19s %s%n", k, v)));
        overdrafts.forEach(o -> b.append("  overdraft (flagged): ").append(o).append('\n'));
        notes.stream().limit(10).forEach(o -> b.append("  note: ").append(o).append('\n'));
        if (notes.size() > 10) {
            b.append("  ... ").append(notes.size() - 10).append(" more notes in the JSON report\n");
        }
        invariants.forEach((k, v) -> b.append(String.format("%-40s %s%n", k, v ? "ok" : "FAILED")));
        problems.forEach(p -> b.append("  problem: ").append(p).append('\n'));
        if (invariants.isEmpty()) {
            b.append("  problem: no invariant was checked (the run did not get that far)\n");
        }
        if (approved() == 0) {
            b.append("  problem: no sale was approved, so the invariants proved nothing\n");
        }
        b.append(passed() ? "RESULT: PASS\n" : "RESULT: FAIL\n");
        return b.toString();
    }

    public synchronized void writeJson(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode n = json.createObjectNode();
        n.put("scenario", scenario);
        n.put("seed", seed);
        n.put("terminals", terminals);
        n.put("passed", passed());
        n.put("approved", approved());
        ObjectNode d = n.putObject("declined");
        declined().forEach(d::put);
        n.put("qr_paid", qrPaid);
        n.put("topups", topups);
        n.put("uploaded", uploaded);
        n.put("acknowledged", acknowledged);
        ObjectNode t = n.putObject("tap_to_decision_ms");
        t.put("p50", percentile(0.50));
        t.put("p99", percentile(0.99));
        n.put("backlog_peak", backlogPeak);
        n.put("kills", kills);
        n.put("committed_unannounced", committedUnannounced);
        n.put("drain_seconds", drainSeconds);
        n.put("blacklist_propagation_ms", blacklistPropagationMs);
        n.put("offline_sales", offlineSales);
        n.put("elapsed_seconds", elapsedSeconds);
        ObjectNode f = n.putObject("figures");
        figures.forEach((k, v) -> f.putPOJO(k, v));
        var od = n.putArray("overdrafts");
        overdrafts.forEach(od::add);
        var no = n.putArray("notes");
        notes.forEach(no::add);
        ObjectNode inv = n.putObject("invariants");
        invariants.forEach(inv::put);
        var pr = n.putArray("problems");
        problems.forEach(pr::add);
        json.writeValue(file.toFile(), n);
    }
}
