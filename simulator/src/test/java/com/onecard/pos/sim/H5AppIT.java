package com.onecard.pos.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.Browser;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sim.app.SmsInbox;
import com.onecard.pos.sim.app.StudentApp;
import com.onecard.pos.sim.app.Y4m;
import com.onecard.pos.sim.pay.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The campus app in a real browser (Debian's headless Chromium at phone size) on the whole
 * simulated system: the real center on PostgreSQL, the simulated WeChat Pay, a real terminal
 * daemon on an emulated PN532. A student who never used the app logs in with the code from the
 * SMS sink and changes the initial password, tops up 50 yuan through the provider's page, sees
 * balance and bill, reports the card lost and the terminal refuses it, registers a card found
 * and its owner is told, cancels the loss, is refused a photo that breaks the rules and sends
 * one that keeps them; then 扫一扫 with the browser's fake camera playing the terminal's real
 * screen of a QR sale: the page reads the code, the student confirms, the terminal approves.
 * Screenshots of each screen go to {@code target/app-screens} (or {@code -Donecard.app.screenshots}).
 */
class H5AppIT {
    private Simulation sim;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        browsers.forEach(Browser::close);
        if (sim != null) {
            sim.close();
        }
    }

    private Browser browser(String name, List<String> args) {
        Browser b = Browser.phone(name, args);
        browsers.add(b);
        return b;
    }

    @Test
    void aStudentDoesTheManualsTasksInTheBrowserAndPaysAPosQrCodeWithThePhoneCamera() throws Exception {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target/it-h5").toAbsolutePath();
        SimulateMain.wipe(work);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        sim = new Simulation(root, work, 11, new PrintStream(log, true, StandardCharsets.UTF_8)).terminals(1).scanners()
                .database(TestPostgres.freshDatabase("h5app")).leaveLoggedOut(1);
        sim.setUp(10);
        sim.campusApp().wechat().faults(no -> Fault.NONE);
        Student me = sim.loggedOut().get(0);
        Window window = sim.windows().get(0);
        SmsInbox inbox = sim.campusApp().inbox();
        String app = "http://127.0.0.1:" + sim.appPort() + "/app/";
        Browser b = browser("h5-app", List.of());

        // 登录: phone and SMS code, then student number and initial password, then the forced change
        b.open(app);
        b.type(By.id("phone"), me.phone());
        int mark = inbox.mark();
        b.click(By.id("get-code"));
        b.awaitText(By.cssSelector("#login-form .ok"), "验证码已发送");
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
        long before = fen(b.awaitText(By.id("home-total"), "."));
        assertThat(before).isEqualTo(me.balanceFen());

        // 账户充值: 50 yuan by WeChat Pay, on the simulated provider's page, back to the result
        b.click(By.id("home-topup"));
        b.type(By.id("amount"), "50");
        b.screenshot("05-topup");
        b.click(By.id("topup-go"));
        assertThat(b.awaitText(By.id("sim-pay-amount"), "50.00")).isEqualTo("50.00");
        b.screenshot("06-provider-page");
        b.click(By.id("sim-pay-confirm"));
        b.awaitText(By.id("topup-state"), "充值成功");
        b.screenshot("07-topup-result");

        // 余额: both purses; 账单: the top-up at the top of this month's bills
        b.click(By.id("back-home"));
        b.click(By.id("home-balance"));
        assertThat(fen(b.awaitText(By.id("balance-total"), "."))).isEqualTo(before + 5_000);
        assertThat(fen(b.driver.findElement(By.id("balance-cash")).getText())
                + fen(b.driver.findElement(By.id("balance-subsidy")).getText())).isEqualTo(before + 5_000);
        b.screenshot("08-balance");
        b.click(By.id("back"));
        b.click(By.id("home-bills"));
        String bill = b.awaitText(By.cssSelector("#bills li.bill"), "+50.00");
        assertThat(bill).contains("充值");
        b.screenshot("09-bills");

        // 卡挂失: with the card password; the terminal refuses the card
        b.click(By.id("back"));
        b.click(By.id("home-loss"));
        b.awaitText(By.id("card-status"), "正常");
        b.type(By.id("card-password"), me.password());
        b.click(By.id("report-loss"));
        b.awaitText(By.id("card-status"), "已挂失");
        b.screenshot("10-loss");
        awaitBlacklisted(window, me, true);
        Outcome refused = window.tap(me, 500);
        assertThat(refused.approved()).isFalse();
        assertThat(refused.reason()).isEqualTo("LOST");

        // 消息: the loss, and the sighting of the lost card at the window
        b.click(By.id("back"));
        b.click(By.id("home-messages"));
        b.awaitText(By.id("messages"), "挂失");
        b.screenshot("11-messages");

        // 拾卡登记: the student found someone else's card; its owner is told where
        Student owner = sim.students().stream().filter(s -> s.kind() == Student.Kind.NORMAL && s != me).findFirst()
                .orElseThrow();
        StudentApp ownersPhone = sim.app(owner);
        int ownersMessages = ownersPhone.messages().path("items").size();
        b.click(By.id("back"));
        b.click(By.id("home-found"));
        b.type(By.id("card-uid"), owner.uidHex());
        b.type(By.id("place"), "北区食堂二楼 3 号窗口");
        b.click(By.id("found-go"));
        b.awaitText(By.cssSelector("#found-form .ok"), "失主已收到通知");
        b.screenshot("12-found");
        JsonNode told = ownersPhone.messages().path("items");
        assertThat(told.size()).isEqualTo(ownersMessages + 1);
        assertThat(told.get(0).path("text").asText()).contains("北区食堂二楼 3 号窗口");

        // 解挂: the card works again everywhere
        b.click(By.id("back"));
        b.click(By.id("home-loss"));
        b.awaitText(By.id("card-status"), "已挂失");
        b.type(By.id("card-password"), me.password());
        b.click(By.id("cancel-loss"));
        b.awaitText(By.id("card-status"), "正常");
        awaitBlacklisted(window, me, false);

        // 照片采集: a square picture is refused with the rule's reason; an ID photo waits for review
        Path dir = work.resolve("photos");
        Files.createDirectories(dir);
        b.click(By.id("back"));
        b.click(By.id("home-photo"));
        b.await(By.id("photo-file")).sendKeys(jpeg(dir.resolve("square.jpg"), 400, 400).toString());
        b.click(By.id("photo-upload"));
        assertThat(b.awaitText(By.cssSelector("#view .error"), "宽高比")).contains("照片宽高比不符合证件照要求");
        b.driver.findElement(By.id("photo-file")).sendKeys(jpeg(dir.resolve("id.jpg"), 358, 441).toString());
        b.click(By.id("photo-upload"));
        b.awaitText(By.cssSelector("#view .ok"), "等待一卡通中心审核");
        b.awaitText(By.id("photos"), "待审核");
        b.screenshot("13-photo");

        // 支付码: the browser's device key (WebCrypto, IndexedDB) certified by the center; the code the
        // page draws is read back from the page's image (zxing) and scanned at the window: approved offline
        b.click(By.id("back"));
        b.click(By.id("home-paycode"));
        b.awaitText(By.id("paycode-until"), "30 秒");
        b.screenshot("14-paycode");
        String src = b.await(By.id("paycode-qr")).getAttribute("src");
        assertThat(src).startsWith("data:image/gif;base64,");
        Path shown = work.resolve("paycode.png");
        BufferedImage qr = ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
        ImageIO.write(qr, "png", shown.toFile());
        String code = StudentApp.scan(shown);
        assertThat(code).startsWith("OCP1").hasSize(310);
        var paid = window.paycode(me, code, 500);
        assertThat(paid.approved()).as("payment code from the browser at %s: %s", window.id(), paid.reason()).isTrue();
        assertThat(window.paycode(me, code, 500).reason()).as("the same code again").isEqualTo("PAYCODE_REPLAYED");

        // 扫一扫: the cashier starts a QR sale; the phone's camera plays the terminal's real screen
        JsonNode sale = window.terminal().call("sale", "amount_fen", 800, "qr", true);
        assertThat(sale.path("ok").asBoolean()).as(sale.toString()).isTrue();
        Path y4m = work.resolve("pos-screen.y4m");
        Y4m.fromPng(screenWithCode(window, work.resolve("pos-screen.png")), y4m, 1);
        Browser phone = browser("h5-scan", List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--use-file-for-fake-video-capture=" + y4m));
        // the same phone, its camera now on: the app's saved session (tokens, device id) carries over
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = (Map<String, Object>) b.js("return {...localStorage};");
        phone.open(app);
        phone.js("for (const [k, v] of Object.entries(arguments[0])) { localStorage.setItem(k, v); }", saved);
        phone.open(app + "#/home");
        phone.driver.navigate().refresh();
        phone.awaitScreen("home");
        phone.click(By.id("home-scan"));
        assertThat(phone.awaitText(By.id("scan-amount"), "8.00")).isEqualTo("¥8.00");
        assertThat(phone.driver.findElement(By.id("scan-terminal")).getText()).isEqualTo(window.id());
        phone.screenshot("15-scan-confirm");
        phone.click(By.id("scan-pay"));
        phone.awaitText(By.id("scan-paid"), "支付成功");
        phone.screenshot("16-scan-paid");
        JsonNode decided = window.terminal().call("await", "sale_id", sale.path("sale_id").asText(), "timeout_ms", 10_000);
        assertThat(decided.path("outcome").path("approved").asBoolean()).as(decided.toString()).isTrue();
        assertThat(decided.path("outcome").path("amount_fen").asLong()).isEqualTo(800);
        @SuppressWarnings("unchecked")
        Map<String, Object> marks = (Map<String, Object>) phone.js("const m = {}; for (const e of performance.getEntriesByType('mark'))"
                + " { m[e.name] = e.startTime; } return m;");
        assertThat(marks).containsKeys("oc-scan-frame", "oc-scan-decoded", "oc-scan-paid");
    }

    private static long fen(String yuan) {
        String s = yuan.replace("¥", "").replace("+", "").trim();
        int dot = s.indexOf('.');
        return Long.parseLong(s.substring(0, dot)) * 100 + Long.parseLong(s.substring(dot + 1));
    }

    private static void awaitBlacklisted(Window w, Student s, boolean listed) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (w.terminal().probe("card", "uid", s.uidHex()).path("blacklisted").asBoolean() != listed) {
            assertThat(System.nanoTime()).as("terminal %s blacklisted %s = %s", w.id(), s.uidHex(), listed).isLessThan(deadline);
            TerminalProcess.pause(20);
        }
    }

    /** The terminal's customer display once it shows the sale's code, as a PNG. */
    static Path screenWithCode(Window w, Path png) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            JsonNode screen = w.terminal().call("screen");
            if (screen.path("ok").asBoolean() && !screen.path("png_base64").asText().isEmpty()) {
                Files.write(png, Base64.getDecoder().decode(screen.path("png_base64").asText()));
                try {
                    StudentApp.scan(png);
                    return png;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
            }
            TerminalProcess.pause(50);
        }
    }

    /** A JPEG of {@code w} x {@code h} pixels of noise (so its size is that of a real photo). */
    static Path jpeg(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        // a light backdrop and a darker head and shoulders, slightly grainy like a camera's picture
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - w / 2.0) / (w * 0.22);
                double dy = (y - h * 0.4) / (h * 0.22);
                boolean person = dx * dx + dy * dy < 1 || (y > h * 0.68 && Math.abs(x - w / 2.0) < w * 0.38);
                int base = person ? 90 : 225;
                int g = Math.max(0, Math.min(255, base + r.nextInt(9) - 4));
                img.setRGB(x, y, (g << 16) | (g << 8) | Math.min(255, g + 12));
            }
        }
        ImageIO.write(img, "jpg", file.toFile());
        return file;
    }
}
