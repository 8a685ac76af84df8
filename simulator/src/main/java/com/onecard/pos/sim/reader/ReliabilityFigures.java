package com.onecard.pos.sim.reader;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one reliability run measured.
 *
 * @param presentations      card presentations planned (each counted once, however often retried)
 * @param tapsRead           presentations the reader reported, exactly once
 * @param campusOk           of those, taps whose campus sector was read and verified
 * @param campusNotOk        the other taps by campus read outcome (READ_FAILED, AUTH_FAILED, ...)
 * @param missed             presentations never reported although the reader was connected
 *                           (an attempt made while unplugged is retried after replug, not missed)
 * @param retries            attempts made while unplugged and repeated after replug
 * @param falseTaps          taps for a UID never placed, not on the reader, or a second tap for one presentation
 * @param falseTapDetails    what each false tap was
 * @param removalsMissed     removals not reported within the deadline
 * @param responsesCorrupted response frames the emulator corrupted
 * @param noiseBursts        presentations run with noise in front of every frame
 * @param linkErrors         errors the reader loop counted (bad frames, NACKs, timeouts)
 * @param degradedEvents     times the reader went DEGRADED
 * @param tapLatencyMs       place → tap, per read presentation with the reader connected, sorted
 * @param replugs            one entry per unplug/replug cycle
 * @param durationMs         wall time of the run
 */
record ReliabilityFigures(ReliabilityOptions options, int presentations, int tapsRead, int campusOk,
                          Map<String, Integer> campusNotOk, int missed,
                          int retries, int falseTaps, List<String> falseTapDetails, int removalsMissed,
                          long responsesCorrupted, int noiseBursts, long linkErrors, long degradedEvents,
                          List<Long> tapLatencyMs, List<Replug> replugs, long durationMs) {

    /**
     * @param kind        "retry": a card tapped during the outage and held; "held": the last card stayed
     *                    on the reader through the outage, then the next card was presented
     * @param toOkMs      replug (new pty) → reader status OK
     * @param toFirstTapMs replug → first tap reported
     */
    record Replug(int atPresentation, String kind, long toOkMs, long toFirstTapMs) {
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "reader reliability: PN532 emulator + ReaderLoop over a socat pty pair, 115200 baud%n"));
        b.append(String.format(Locale.ROOT, "options: --taps %d --corruption %s --noise-bursts %d --unplugs %d --seed %d%n",
                options.taps(), options.corruption(), options.noiseBursts(), options.unplugs(), options.seed()));
        row(b, "presentations", presentations);
        row(b, "taps read", tapsRead + "  (campus sector OK: " + campusOk
                + (campusNotOk.isEmpty() ? "" : ", not OK: " + new TreeMap<>(campusNotOk)) + ")");
        row(b, "taps missed", missed);
        row(b, "retries (tapped while unplugged)", retries);
        row(b, "false taps", falseTaps);
        row(b, "removals not reported", removalsMissed);
        row(b, "response frames corrupted", responsesCorrupted);
        row(b, "noise bursts", noiseBursts);
        row(b, "link errors counted by the loop", linkErrors);
        row(b, "DEGRADED episodes", degradedEvents);
        row(b, "tap latency ms p50 / p95 / p99 / max", pct(0.50) + " / " + pct(0.95) + " / " + pct(0.99) + " / " + pct(1.0));
        row(b, "run time s", String.format(Locale.ROOT, "%.1f", durationMs / 1000.0));
        b.append(String.format(Locale.ROOT, "%-6s %-12s %-6s %14s %20s%n", "replug", "at tap", "kind", "replug->OK ms", "replug->first tap ms"));
        for (int i = 0; i < replugs.size(); i++) {
            Replug r = replugs.get(i);
            b.append(String.format(Locale.ROOT, "%-6d %-12d %-6s %14d %20d%n", i + 1, r.atPresentation(), r.kind(),
                    r.toOkMs(), r.toFirstTapMs()));
        }
        for (String f : falseTapDetails) {
            b.append("false tap: ").append(f).append(System.lineSeparator());
        }
        return b.toString();
    }

    String json() {
        String replugJson = replugs.stream().map(r -> String.format(Locale.ROOT,
                "{\"atPresentation\":%d,\"kind\":\"%s\",\"replugToOkMs\":%d,\"replugToFirstTapMs\":%d}",
                r.atPresentation(), r.kind(), r.toOkMs(), r.toFirstTapMs())).collect(Collectors.joining(","));
        String details = falseTapDetails.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(","));
        String notOkJson = new TreeMap<>(campusNotOk).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, """
                {"options":{"taps":%d,"corruption":%s,"noiseBursts":%d,"unplugs":%d,"seed":%d},
                 "presentations":%d,"tapsRead":%d,"campusOk":%d,"campusNotOk":{%s},"missed":%d,"retries":%d,"falseTaps":%d,
                 "falseTapDetails":[%s],"removalsMissed":%d,"responsesCorrupted":%d,"noiseBursts":%d,
                 "linkErrors":%d,"degradedEvents":%d,
                 "tapLatencyMs":{"p50":%d,"p95":%d,"p99":%d,"max":%d},
                 "replugs":[%s],"durationMs":%d}
                """, options.taps(), options.corruption(), options.noiseBursts(), options.unplugs(), options.seed(),
                presentations, tapsRead, campusOk, notOkJson, missed, retries, falseTaps, details, removalsMissed,
                responsesCorrupted, noiseBursts, linkErrors, degradedEvents,
                pct(0.50), pct(0.95), pct(0.99), pct(1.0), replugJson, durationMs);
    }

    private long pct(double q) {
        if (tapLatencyMs.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(q * tapLatencyMs.size()) - 1;
        return tapLatencyMs.get(Math.max(0, Math.min(tapLatencyMs.size() - 1, i)));
    }

    private static void row(StringBuilder b, String name, Object value) {
        b.append(String.format(Locale.ROOT, "%-38s %s%n", name, value));
    }
}
