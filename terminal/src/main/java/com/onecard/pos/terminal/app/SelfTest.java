package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.display.ScreenImage;
import com.onecard.pos.reader.ReaderState;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** posctl selftest: every component checked, each with a line a technician can act on. */
final class SelfTest {
    private final TerminalApp app;
    private final ObjectMapper json;

    SelfTest(TerminalApp app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    /**
     * Runs on the control client's thread, never the terminal thread: the store is checked on the
     * verifier's own read-only connection, so sales go on meanwhile.
     *
     * @param full walk the whole journal chain, not only the rows since the last check
     */
    ObjectNode run(boolean full) {
        return run(full, false);
    }

    /**
     * Yields to sales: before each step, between batches of the chain walk and before the answer, it waits
     * while a card is being sold ({@link SaleYield}, at most {@link SaleYield#SELFTEST_BUDGET} in all), so its
     * CPU goes after the sale's outcome. Every step still runs; the answer gives each step's time ({@code us}
     * wall, {@code cpu_us} this thread's CPU) and {@code yielded_ms}, the time spent waiting for sales.
     *
     * @param feedback also play the feedback test: each LED blinks, the buzzer beeps once
     */
    ObjectNode run(boolean full, boolean feedback) {
        SaleYield yield = new SaleYield(app.loop, SaleYield.SELFTEST_BUDGET);
        return run(json, List.of(
                new Step("store", () -> storeCheck(full, yield)),
                new Step("reader", this::readerCheck),
                new Step("center", this::centerCheck),
                new Step("keys", this::keysCheck),
                new Step("disk", this::diskCheck),
                new Step("display", this::displayCheck),
                new Step("scanner", this::scannerCheck),
                new Step("keypad", this::keypadCheck),
                new Step("gpio", () -> gpioCheck(feedback))), yield);
    }

    /** One component's check: {error, null} or {null, detail}. */
    record Step(String name, Supplier<String[]> check) {
    }

    /** Runs {@code steps} in order, {@code yield} pausing before each and before the answer is built. */
    static ObjectNode run(ObjectMapper json, List<Step> steps, SaleYield yield) {
        ObjectNode r = json.createObjectNode();
        r.put("ok", true);
        ArrayNode checks = r.putArray("checks");
        boolean passed = true;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        for (Step step : steps) {
            yield.pause();
            long w0 = System.nanoTime();
            long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
            String[] res = step.check().get();
            long c1 = cpu ? mx.getCurrentThreadCpuTime() : 0;
            long w1 = System.nanoTime();
            ObjectNode c = checks.addObject();
            c.put("name", step.name());
            c.put("ok", res[0] == null);
            c.put("detail", res[0] == null ? res[1] : res[0]);
            c.put("us", (w1 - w0) / 1000);
            if (cpu) {
                c.put("cpu_us", (c1 - c0) / 1000);
            }
            passed &= res[0] == null;
        }
        yield.pause();
        r.put("passed", passed);
        r.put("yielded_ms", yield.waitedMs());
        return r;
    }

    private String[] gpioCheck(boolean feedback) {
        if (feedback) {
            app.feedback().test();
        }
        return new String[]{null, app.feedback().describe() + (app.cfg().gpio().platform().equals("none") ? ""
                : feedback ? "; green, red blinked and one beep played: watch and listen" : " (--feedback blinks and beeps each once)")};
    }

    /**
     * The chain since the last check (every selftest); the whole file and the whole chain only when
     * {@code full}: the health timer runs selftest every minute during sales, and a check that reads
     * every page of a year's journal takes a core from the sale on a two-core terminal. A failed
     * whole-file check stays a failure in every selftest after it.
     */
    private String[] storeCheck(boolean full, SaleYield yield) {
        // full: the whole-file check, then the whole chain (ChainCheck.full runs both)
        var r = full ? app.chainCheck.full(yield) : app.chainCheck.fromCheckpoint(yield);
        String qc = app.chainCheck.lastIntegrity();
        if (qc != null && !qc.equals("ok")) {
            return new String[]{"database check failed: " + qc + (full ? "" : " (at " + app.chainCheck.lastIntegrityAt() + ")"), null};
        }
        if (!r.ok()) {
            return new String[]{"journal chain broken: " + r.problem(), null};
        }
        return new String[]{null, "database sound, journal chain verifies up to seq " + r.head().seq() + " ("
                + r.rows() + " rows checked " + (full ? "in full" : "since seq " + r.from().seq()) + ", " + r.ms() + " ms); database file "
                + (full ? "checked in full now" : qc == null ? "not checked in full since start (selftest --full, and daily)"
                : "checked in full at " + app.chainCheck.lastIntegrityAt())};
    }

    private String[] readerCheck() {
        var s = app.readerStatus();
        if (s == null) {
            return new String[]{null, "no reader configured (reader.driver=none)"};
        }
        if (s.state() == ReaderState.DISCONNECTED) {
            return new String[]{"reader on " + s.port() + " not answering: " + s.lastError(), null};
        }
        return new String[]{null, s.state() + " " + s.firmware() + " on " + s.port()};
    }

    private String[] scannerCheck() {
        var s = app.scanner();
        if (s == null) {
            return new String[]{null, "no scanner configured (scanner.driver=none)"};
        }
        if (!s.connected()) {
            return new String[]{"scanner on " + s.port() + " not connected: " + s.lastError(), null};
        }
        return new String[]{null, app.cfg().scanner().driver() + " on " + s.port() + ", " + s.codesDelivered() + " codes"};
    }

    private String[] keypadCheck() {
        var k = app.keypad();
        if (k == null) {
            return new String[]{null, "no keypad configured (keypad.device empty)"};
        }
        if (!k.connected()) {
            return new String[]{"keypad " + k.path() + " not connected: " + k.lastError(), null};
        }
        return new String[]{null, "keypad " + k.path() + ", " + k.keys() + " keys"};
    }

    private String[] centerCheck() {
        var s = app.syncStatus();
        if (s == null) {
            return new String[]{null, "no center configured"};
        }
        if (!s.connected()) {
            return new String[]{"not connected to the center: " + s.lastError(), null};
        }
        if (Math.abs(s.clockOffsetMs()) > 60_000) {
            return new String[]{"connected, but the clock is off by " + s.clockOffsetMs() / 1000 + " s: fix NTP", null};
        }
        return new String[]{null, "connected, clock offset " + s.clockOffsetMs() + " ms"};
    }

    private String[] keysCheck() {
        try {
            String tokenKeys = "key token: " + app.keyCheckValues().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            if (!app.cfg().center().host().isEmpty()) {
                Path cert = app.cfg().center().cert();
                X509Certificate x;
                try (InputStream in = Files.newInputStream(cert)) {
                    x = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                Instant until = x.getNotAfter().toInstant();
                if (until.isBefore(app.clock.instant())) {
                    return new String[]{"terminal certificate " + cert + " expired on " + until, null};
                }
                if (until.isBefore(app.clock.instant().plus(Duration.ofDays(30)))) {
                    return new String[]{"terminal certificate " + cert + " expires on " + until + ": renew it", null};
                }
                return new String[]{null, tokenKeys + "; certificate valid until " + until};
            }
            return new String[]{null, tokenKeys};
        } catch (Exception e) {
            return new String[]{e.getMessage(), null};
        }
    }

    private String[] diskCheck() {
        long free = app.cfg().terminal().dataDir().toFile().getUsableSpace() / (1024 * 1024);
        return free < 100 ? new String[]{"only " + free + " MB free under " + app.cfg().terminal().dataDir(), null}
                : new String[]{null, free + " MB free"};
    }

    private String[] displayCheck() {
        try {
            var s = app.currentScreen();
            if (s != null) {
                new ScreenImage().draw(s);
            }
            return new String[]{null, app.cfg().display().kind() + " display draws"};
        } catch (RuntimeException e) {
            return new String[]{"screen cannot be drawn: " + e, null};
        }
    }
}
