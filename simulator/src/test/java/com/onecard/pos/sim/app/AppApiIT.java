package com.onecard.pos.sim.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.EmvPayload;
import com.onecard.pos.qr.EmvQrParser;
import com.onecard.pos.qr.MerchantQr;
import com.onecard.pos.qr.encode.QrEncoder;
import com.onecard.pos.qr.encode.QrMatrix;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.AppApi;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.RecordingSubscriber;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.QrPaidNotice;
import com.onecard.pos.pin.PinVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The center's app API on a real loopback port over a PostgreSQL ledger, driven by the simulated phone. */
class AppApiIT {
    static final String T = "T-1";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long ACC = 20260001;
    static final long PINNED = 20260002;
    static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");

    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(NOW);
    final SplittableRandom random = new SplittableRandom(11);
    RecordingSubscriber atT;
    CenterLedger ledger;
    AppApi api;
    StudentApp app;
    int sale;

    @BeforeEach
    void start() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("app_api"), clock).startFeed();
        ledger.terminals().register(T, SECRET);
        ledger.accounts().open(ACC, new byte[] {(byte) 0x90, 0x1F, 0x2A, (byte) 0xA4}, 1, "Wang Fang", 200, 1_000, "", 0);
        ledger.accounts().setNationalId(ACC, "11010519900307123X");
        ledger.accounts().open(PINNED, new byte[] {1, 2, 3, 4}, 1, "Li Lei", 0, 0,
                PinVerifier.create("135790", new SecureRandom()), 0);
        atT = RecordingSubscriber.subscribe(ledger, T, Map.of());
        api = AppApi.start(ledger.accounts(), ledger.messages(), ledger.qr(), new InetSocketAddress("127.0.0.1", 0),
                clock);
        app = StudentApp.at(api.port());
    }

    @AfterEach
    void stop() {
        api.close();
        ledger.close();
    }

    @Test
    void topUpTakesWholeYuanFromOneToAThousandByWechatOrAlipay() {
        assertThat(app.topUp(ACC, 1, "wechat").get("total_fen").asLong()).isEqualTo(1_300);
        JsonNode r = app.topUp(ACC, 1000, "alipay");
        assertThat(r.get("http_status").asInt()).isEqualTo(200);
        assertThat(r.get("total_fen").asLong()).isEqualTo(101_300);
        assertThat(r.get("yuan").asText()).isEqualTo("1013.00");

        ObjectMapper m = new ObjectMapper();
        refused(app.topUp(ACC, 0, "wechat"), 400, "BAD_YUAN", "yuan");
        refused(app.topUp(ACC, 1001, "wechat"), 400, "BAD_YUAN", "yuan");
        refused(app.post("/api/v1/accounts/" + ACC + "/topups",
                m.createObjectNode().put("yuan", 12.5).put("channel", "wechat")), 400, "BAD_YUAN", "yuan");
        refused(app.post("/api/v1/accounts/" + ACC + "/topups",
                m.createObjectNode().put("yuan", "50").put("channel", "wechat")), 400, "BAD_YUAN", "yuan");
        refused(app.topUp(ACC, 50, "cash"), 400, "BAD_CHANNEL", "channel");
        refused(app.post("/api/v1/accounts/" + ACC + "/topups", m.createObjectNode().put("yuan", 50)),
                400, "BAD_CHANNEL", "channel");
        refused(app.topUp(999, 50, "wechat"), 404, "NOT_FOUND", "999");
        assertThat(app.balance(ACC).get("total_fen").asLong()).isEqualTo(101_300);
    }

    @Test
    void balanceShowsBothPursesTotalAndStatus() {
        JsonNode b = app.balance(ACC);
        assertThat(b.get("subsidy_fen").asLong()).isEqualTo(200);
        assertThat(b.get("cash_fen").asLong()).isEqualTo(1_000);
        assertThat(b.get("total_fen").asLong()).isEqualTo(1_200);
        assertThat(b.get("yuan").asText()).isEqualTo("12.00");
        assertThat(b.get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void billsAreNewestFirstAndPaged() {
        for (int yuan = 1; yuan <= 5; yuan++) {
            clock.advance(Duration.ofMinutes(1));
            app.topUp(ACC, yuan, "wechat");
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(app.pay(ACC, code(150)).get("status").asText()).isEqualTo("PAID");

        JsonNode first = app.bills(ACC, 1, 4);
        assertThat(first.get("total").asInt()).isEqualTo(6);
        assertThat(first.get("items")).extracting(i -> i.get("kind").asText()).containsExactly("QR", "TOP_UP", "TOP_UP",
                "TOP_UP");
        assertThat(first.get("items")).extracting(i -> i.get("amount_fen").asLong()).containsExactly(-150L, 500L, 400L,
                300L);
        JsonNode second = app.bills(ACC, 2, 4);
        assertThat(second.get("items")).extracting(i -> i.get("amount_fen").asLong()).containsExactly(200L, 100L);
        refused(app.bills(ACC, 0, 4), 400, "BAD_PAGE", "page");
    }

    @Test
    void lossAcceptsBothDefaultPasswordFormsFromAnIdEndingInX() {
        refused(app.reportLoss(ACC, "123456"), 403, "WRONG_PASSWORD", "4 attempts left");
        JsonNode lost = app.reportLoss(ACC, "071230");
        assertThat(lost.get("status").asText()).isEqualTo("LOST");
        assertThat(ledger.accounts().status(ACC)).isEqualTo(AccountStatus.LOST);
        Await.until(Duration.ofSeconds(10), () -> atT.pushed().stream()
                .anyMatch(d -> d.hasBlacklist() && d.getBlacklist().getListed()), () -> "pushed " + atT.pushed());
        refused(app.reportLoss(ACC, "071230"), 409, "ALREADY_LOST", "already");

        assertThat(app.cancelLoss(ACC, "0307123").get("status").asText()).isEqualTo("ACTIVE");
        assertThat(ledger.accounts().status(ACC)).isEqualTo(AccountStatus.ACTIVE);
        refused(app.cancelLoss(ACC, "0307123"), 409, "NOT_LOST", "not lost");
        assertThat(app.messages(ACC).get("items")).extracting(i -> i.get("text").asText())
                .anySatisfy(t -> assertThat(t).contains("reported lost"));
    }

    @Test
    void lossAcceptsBothDefaultPasswordFormsFromAnIdEndingInADigit() {
        ledger.accounts().setNationalId(ACC, "440301199512126548");
        assertThat(app.reportLoss(ACC, "126548").get("status").asText()).isEqualTo("LOST");
        assertThat(app.cancelLoss(ACC, "1212654").get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aSetCardPasswordIsCheckedAgainstItsVerifier() {
        refused(app.reportLoss(PINNED, "000000"), 403, "WRONG_PASSWORD", "wrong card password");
        assertThat(app.reportLoss(PINNED, "135790").get("status").asText()).isEqualTo("LOST");
    }

    @Test
    void fiveWrongPasswordsLockEvenTheRightOne() {
        for (int i = 1; i <= 4; i++) {
            refused(app.reportLoss(ACC, "99999" + i), 403, "WRONG_PASSWORD", (5 - i) + " attempts left");
        }
        refused(app.reportLoss(ACC, "999995"), 403, "LOCKED", "locked");
        refused(app.reportLoss(ACC, "071230"), 403, "LOCKED", "locked");
        assertThat(ledger.accounts().status(ACC)).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void aFoundCardTellsItsOwnerAndAnUnknownCardIs404() {
        clock.advance(Duration.ofMinutes(5));
        ledger.messages().addMessage(ACC, "canteen closes early on Friday");
        clock.advance(Duration.ofMinutes(5));
        JsonNode r = app.reportFoundCard("901F2AA4", "Zhang San", "library 2F");
        assertThat(r.get("registered").asBoolean()).isTrue();
        assertThat(r.has("account_id")).as("the finder is not told whose card it is").isFalse();

        JsonNode items = app.messages(ACC).get("items");
        assertThat(items.get(0).get("text").asText()).contains("your card was found at library 2F");
        assertThat(items.get(1).get("text").asText()).isEqualTo("canteen closes early on Friday");
        refused(app.reportFoundCard("DEADBEEF", "Zhang San", "gym"), 404, "UNKNOWN_CARD", "DEADBEEF");
        refused(app.reportFoundCard("XYZ", "Zhang San", "gym"), 400, "BAD_CARD_UID", "card_uid");
    }

    @Test
    void scanParseAndPayAQrCodeFromThePicture() throws Exception {
        Path png = dir.resolve("screen.png");
        writePng(code(1_150), png);
        String payload = app.scan(png);

        JsonNode shown = app.parse(payload);
        assertThat(shown.get("status").asText()).isEqualTo("PAYABLE");
        assertThat(shown.get("merchant_name").asText()).isEqualTo("NORTH CANTEEN");
        assertThat(shown.get("amount_fen").asLong()).isEqualTo(1_150);
        assertThat(shown.get("terminal_id").asText()).isEqualTo(T);
        assertThat(shown.get("expires_at").asText()).isEqualTo(NOW.plusSeconds(90).toString());
        assertThat(ledger.accounts().purses(ACC)).containsExactly(200, 1_000);

        JsonNode paid = app.pay(ACC, payload);
        assertThat(paid.get("status").asText()).isEqualTo("PAID");
        assertThat(paid.get("merchant_name").asText()).isEqualTo("NORTH CANTEEN");
        assertThat(paid.get("amount_fen").asLong()).isEqualTo(1_150);
        assertThat(paid.get("balance_after_fen").asLong()).isEqualTo(50);
        assertThat(app.balance(ACC).get("total_fen").asLong()).isEqualTo(50);
    }

    @Test
    void payChargesOnceAndNotifiesTheTerminal() throws Exception {
        String payload = code(700);
        JsonNode paid = app.pay(ACC, payload);
        assertThat(paid.get("status").asText()).isEqualTo("PAID");
        assertThat(paid.get("balance_after_fen").asLong()).isEqualTo(500);
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 500);

        Await.until(Duration.ofSeconds(10), () -> atT.pushed().stream().anyMatch(d -> d.getStream().equals(Streams.QR)),
                () -> "pushed " + atT.pushed());
        List<QrPaidNotice> notices = new ArrayList<>();
        atT.pushed().stream().filter(d -> d.getStream().equals(Streams.QR)).forEach(d -> notices.add(d.getQrPaid()));
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).getToken()).isEqualTo(paid.get("token").asText());
        assertThat(notices.get(0).getSaleId()).isEqualTo(paid.get("sale_id").asText());
        assertThat(notices.get(0).getAccountId()).isEqualTo(ACC);
        assertThat(notices.get(0).getHolderName()).isEqualTo("Wang Fang");
        assertThat(notices.get(0).getAmountFen()).isEqualTo(700);
        assertThat(notices.get(0).getBalanceAfterFen()).isEqualTo(500);

        refused(app.pay(ACC, payload), 409, "REPLAYED", "already paid");
        assertThat(ledger.accounts().purses(ACC)).containsExactly(0, 500);
    }

    @Test
    void editedForgedExpiredCancelledAndUnaffordableCodesAreRefused() throws Exception {
        refused(app.pay(ACC, withAmountAndMac(code(1_000), 1, null)), 403, "BAD_MAC", "MAC");
        String genuine = code(1_000);
        String mac = EmvQrParser.parse(genuine).get("80", "03").orElseThrow();
        refused(app.pay(ACC, withAmountAndMac(genuine, 1_000, (mac.charAt(0) == 'A' ? "B" : "A") + mac.substring(1))),
                403, "BAD_MAC", "MAC");
        refused(app.pay(ACC, "000201garbage"), 400, "BAD_FORMAT", "refused");
        refused(app.pay(ACC, code(1_201)), 409, "INSUFFICIENT_FUNDS", "balance");

        String cancelled = code(100);
        JsonNode seen = app.parse(cancelled);
        ledger.qr().recordCancel(T, seen.get("token").asText(), seen.get("sale_id").asText());
        refused(app.pay(ACC, cancelled), 409, "CANCELLED", "cancelled");
        refused(app.parse(cancelled), 409, "CANCELLED", "cancelled");

        String late = code(100);
        clock.advance(Duration.ofSeconds(91));
        refused(app.pay(ACC, late), 409, "EXPIRED", "expired");
        assertThat(ledger.accounts().purses(ACC)).containsExactly(200, 1_000);
        assertThat(atT.pushed()).noneMatch(d -> d.getStream().equals(Streams.QR));
    }

    @Test
    void qrPayNeedsAnAccountAndAPayload() {
        ObjectMapper m = new ObjectMapper();
        refused(app.post("/api/v1/qr/pay", m.createObjectNode().put("payload", code(100))), 400, "BAD_ACCOUNT_ID",
                "account_id");
        refused(app.post("/api/v1/qr/pay", m.createObjectNode().put("account_id", ACC)), 400, "BAD_PAYLOAD", "payload");
        refused(app.pay(999, code(100)), 404, "UNKNOWN_ACCOUNT", "999");
        refused(app.get("/api/v1/nothing"), 404, "NO_SUCH_ENDPOINT", "/api/v1/nothing");
    }

    private String code(long fen) {
        return new CampusQr().create(new CampusQrRequest(T, "CANTEEN-N01", "POS03", "S" + (++sale), fen,
                "NORTH CANTEEN", "BEIJING", null, null, clock.instant().plusSeconds(90), com.onecard.pos.sync.keys.TerminalKeySchedule.qrKey(SECRET, T), random));
    }

    private static void refused(JsonNode r, int status, String code, String messagePart) {
        assertThat(r.get("http_status").asInt()).as("%s", r).isEqualTo(status);
        assertThat(r.get("code").asText()).as("%s", r).isEqualTo(code);
        assertThat(r.get("error").asText()).as("%s", r).contains(messagePart);
    }

    /** Rebuilds a code with another amount (and optionally MAC); the builder recomputes the CRC. */
    private static String withAmountAndMac(String payload, long fen, String mac) throws Exception {
        EmvPayload p = EmvQrParser.parse(payload);
        return MerchantQr.builder()
                .canteenId(p.get("26", "01").orElseThrow())
                .terminalId(p.get("26", "02").orElseThrow())
                .amountFen(fen)
                .merchantName(p.get("59").orElseThrow())
                .city(p.get("60").orElseThrow())
                .billNumber(p.get("62", "01").orElseThrow())
                .terminalLabel(p.get("62", "07").orElseThrow())
                .campus(p.get("80", "01").orElseThrow(), Long.parseLong(p.get("80", "02").orElseThrow()),
                        mac != null ? mac : p.get("80", "03").orElseThrow())
                .build();
    }

    /** The terminal's screen as a picture: 4 pixels per module, quiet zone included. */
    private static void writePng(String payload, Path png) throws Exception {
        QrMatrix m = QrEncoder.encode(payload);
        int scale = 4;
        int n = m.size();
        BufferedImage img = new BufferedImage(n * scale, n * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n * scale; y++) {
            for (int x = 0; x < n * scale; x++) {
                img.setRGB(x, y, m.dark(x / scale, y / scale) ? 0x000000 : 0xFFFFFF);
            }
        }
        ImageIO.write(img, "png", png.toFile());
    }
}
