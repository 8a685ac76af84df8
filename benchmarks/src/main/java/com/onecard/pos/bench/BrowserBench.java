package com.onecard.pos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.Browser;
import com.onecard.pos.sim.Simulation;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Window;
import com.onecard.pos.sim.app.SmsInbox;
import com.onecard.pos.sim.app.StudentApp;
import com.onecard.pos.sim.app.Y4m;
import org.openqa.selenium.By;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The H5 app in Debian's headless Chromium on the simulated system (real center, PostgreSQL,
 * one real terminal daemon on an emulated PN532):
 * <ul>
 * <li>{@code h5_first_load_ms}: navigation start to the first screen rendered (the app's
 * {@code oc-app-ready} mark), HTTP cache cleared before each load (a phone that never opened the
 * app), loopback. Baseline in the same run: the cold load of a plain file from the same server.</li>
 * <li>{@code h5_camera_to_paid_ms}: the first camera frame the page looks at ({@code oc-scan-frame};
 * Chromium's fake camera playing the terminal's real screen of a QR sale) to the paid screen
 * ({@code oc-scan-paid}): decode, parse, the confirmation (clicked as soon as it shows) and the
 * payment. Baseline in the same run: the same payment through the API (parse + pay) by a
 * program that already holds the payload.</li>
 * </ul>
 */
final class BrowserBench {
    private static final long AMOUNT_FEN = 100;
    private final Path root;
    private final Path work;
    private final int loads;
    private final int scans;

    BrowserBench(Path root, Path work, int loads, int scans) {
        this.root = root;
        this.work = work;
        this.loads = loads;
        this.scans = scans;
    }

    void run(Report report) throws Exception {
        if (!Browser.available()) {
            report.add(Figure.notMeasured("h5_first_load_ms", "ms", null, Browser.missing()));
            report.add(Figure.notMeasured("h5_camera_to_paid_ms", "ms", null, Browser.missing()));
            return;
        }
        wipe(work.resolve("sim"));
        System.setProperty("onecard.test.log.dir", work.resolve("logs").toString());
        PrintStream quiet = new PrintStream(Files.newOutputStream(work.resolve("simulation.log")), true);
        try (Simulation sim = new Simulation(root, work.resolve("sim"), 21, quiet).terminals(1).leaveLoggedOut(1)) {
            sim.setUp(8);
            String app = "http://127.0.0.1:" + sim.appPort() + "/app/";
            String load = "loopback, load average " + BenchMain.loadavg() + " before";
            firstLoads(report, app, load);
            scans(report, sim, app, load);
        }
    }

    private void firstLoads(Report report, String app, String load) {
        double[] base = new double[loads];
        double[] ms = new double[loads];
        try (Browser b = Browser.phone("bench-load", List.of())) {
            for (int i = -2; i < loads; i++) {
                double plain = cold(b, app + "vendor/LICENSE", "return performance.getEntriesByType('navigation')[0].loadEventEnd;");
                double page = cold(b, app, "return performance.getEntriesByName('oc-app-ready').length"
                        + " ? performance.getEntriesByName('oc-app-ready')[0].startTime : null;");
                if (i >= 0) {
                    base[i] = plain;
                    ms[i] = page;
                }
            }
        }
        Figure baseline = Figure.of("h5_plain_file_cold_load_ms", base, "ms", null).withNote(load);
        report.add(baseline);
        report.add(Figure.of("h5_first_load_ms", ms, "ms", null).against(baseline)
                .withNote("login screen rendered, HTTP cache cleared before each load; " + load));
    }

    /** Loads {@code url} with an empty HTTP cache and returns {@code script}'s number once it has one. */
    private static double cold(Browser b, String url, String script) {
        b.driver.get("about:blank");
        b.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        b.driver.get(url);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Object v = b.js(script);
            if (v instanceof Number n && n.doubleValue() > 0) {
                return n.doubleValue();
            }
            pause(5);
        }
        throw new IllegalStateException(url + " did not finish loading within 20 s");
    }

    private void scans(Report report, Simulation sim, String app, String load) throws IOException {
        Student me = sim.loggedOut().get(0);
        Window window = sim.windows().get(0);
        Map<String, Object> saved = logIn(sim, me, app);
        Student other = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL && s != me).findFirst()
                .orElseThrow();
        StudentApp api = sim.app(other);
        double[] base = new double[scans];
        double[] ms = new double[scans];
        double[] decode = new double[scans];
        for (int i = 0; i < scans; i++) {
            QrSale bySale = startQrSale(window, work.resolve("screen.png"));
            long t0 = System.nanoTime();
            JsonNode paid = api.pay(bySale.payload(), other.password());
            base[i] = (System.nanoTime() - t0) / 1e6;
            if (paid.path("http_status").asInt() != 200) {
                throw new IllegalStateException("API payment refused: " + paid);
            }
            awaitDecided(window, bySale);

            QrSale byCamera = startQrSale(window, work.resolve("screen.png"));
            Path y4m = work.resolve("screen-" + i + ".y4m");
            Y4m.fromPng(work.resolve("screen.png"), y4m, 1);
            try (Browser phone = Browser.phone("bench-scan", List.of("--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream", "--use-file-for-fake-video-capture=" + y4m))) {
                phone.open(app);
                phone.js("for (const [k, v] of Object.entries(arguments[0])) { localStorage.setItem(k, v); }", saved);
                phone.open(app + "#/scan");
                phone.driver.navigate().refresh();
                phone.click(By.id("scan-pay"));
                phone.awaitText(By.id("scan-paid"), "支付成功");
                Object d = phone.js("return performance.getEntriesByName('oc-scan-paid')[0].startTime"
                        + " - performance.getEntriesByName('oc-scan-frame')[0].startTime;");
                ms[i] = ((Number) d).doubleValue();
                decode[i] = ((Number) phone.js("return performance.getEntriesByName('oc-scan-decoded')[0].startTime"
                        + " - performance.getEntriesByName('oc-scan-frame')[0].startTime;")).doubleValue();
                @SuppressWarnings("unchecked")
                Map<String, Object> now = (Map<String, Object>) phone.js("return {...localStorage};");
                saved = now;
            }
            awaitDecided(window, byCamera);
            Files.deleteIfExists(y4m);
        }
        Figure baseline = Figure.of("h5_qr_pay_by_api_ms", base, "ms", null)
                .withNote("parse + pay through the app API, payload in hand; " + load);
        report.add(baseline);
        report.add(Figure.of("h5_camera_to_paid_ms", ms, "ms", null).against(baseline)
                .withNote("first camera frame looked at to the paid screen (jsQR decode, parse, confirm clicked at once,"
                        + " pay), Chromium's fake camera playing the terminal's screen; " + load));
        report.add(Figure.of("h5_camera_frame_to_decoded_ms", decode, "ms", null)
                .withNote("the part of the above spent reading the code from camera frames (jsQR, 640x480); " + load));
    }

    /** The manual's first login in a browser; returns the app's saved session to hand to the next browser. */
    private static Map<String, Object> logIn(Simulation sim, Student me, String app) {
        SmsInbox inbox = sim.campusApp().inbox();
        try (Browser b = Browser.phone("bench-login", List.of())) {
            b.open(app);
            b.type(By.id("phone"), me.phone());
            int mark = inbox.mark();
            b.click(By.id("get-code"));
            b.awaitText(By.cssSelector("#login-form .ok"), "验证码");
            b.type(By.id("code"), inbox.code(me.phone(), mark));
            b.click(By.id("phone-login"));
            b.type(By.id("student-number"), me.studentNumber());
            b.type(By.id("password"), me.initialPassword());
            b.click(By.id("identity-login"));
            b.awaitScreen("changePassword");
            b.type(By.id("new-password"), me.appPassword());
            b.type(By.id("new-password-2"), me.appPassword());
            b.click(By.id("change-password"));
            b.awaitScreen("home");
            @SuppressWarnings("unchecked")
            Map<String, Object> saved = (Map<String, Object>) b.js("return {...localStorage};");
            return saved;
        }
    }

    private record QrSale(String saleId, String payload) {
    }

    /** Starts a QR sale of {@link #AMOUNT_FEN}; writes the screen with its code to {@code png}. */
    private static QrSale startQrSale(Window w, Path png) throws IOException {
        JsonNode sale = w.terminal().call("sale", "amount_fen", AMOUNT_FEN, "qr", true);
        if (!sale.path("ok").asBoolean()) {
            throw new IOException("terminal refused a QR sale: " + sale);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            JsonNode screen = w.terminal().call("screen");
            if (screen.path("ok").asBoolean() && !screen.path("png_base64").asText().isEmpty()) {
                Files.write(png, Base64.getDecoder().decode(screen.path("png_base64").asText()));
                try {
                    return new QrSale(sale.path("sale_id").asText(), StudentApp.scan(png));
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
            }
            pause(50);
        }
    }

    private static void awaitDecided(Window w, QrSale sale) throws IOException {
        JsonNode st = w.terminal().call("await", "sale_id", sale.saleId(), "timeout_ms", 10_000);
        if (!st.path("ok").asBoolean() || !st.path("outcome").path("approved").asBoolean()) {
            throw new IOException("QR sale not decided: " + st);
        }
    }

    /** The previous run's simulation (its private cluster's folder must not exist when a new one starts). */
    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var w = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) w.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
