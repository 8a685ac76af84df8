package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.sync.keys.TerminalKeySchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks, played by a student with a laptop against a running service (real HTTP,
 * real PostgreSQL): each is refused with its own code and nothing moves.
 */
class AttacksIT {
    static final String T = "T-1";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final long VICTIM = 20260001;
    static final long ATTACKER = 20260002;

    @TempDir
    Path dir;
    AppFixture f;
    AppFixture.Phone attacker;
    AppFixture.Phone victim;
    final SplittableRandom random = new SplittableRandom(7);
    int sale;

    @BeforeEach
    void start() {
        f = new AppFixture("attacks", dir);
        f.ledger.terminals().register(T, SECRET);
        f.student(VICTIM, "v01", "11010519900307123X", 0, 100_000, new byte[] {1, 2, 3, 4});
        f.student(ATTACKER, "a02", "440301199512126548", 0, 500, new byte[] {5, 6, 7, 8});
        victim = f.firstLogin("13800000001", "v01", "071230", "victimpass1");
        f.clock.advance(Duration.ofMinutes(2));
        attacker = f.firstLogin("13800000002", "a02", "126548", "attackpass1");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String code(long fen) {
        return new CampusQr().create(new CampusQrRequest(T, "CANTEEN-N01", "POS03", "S" + (++sale), fen,
                "NORTH CANTEEN", "BEIJING", null, null, f.clock.instant().plusSeconds(90),
                TerminalKeySchedule.qrKey(SECRET, T), random));
    }

    private long total(long account) {
        long[] p = f.ledger.accounts().purses(account);
        return p[0] + p[1];
    }

    private int movements(long account) {
        return f.ledger.accounts().movements(account).size();
    }

    private static void refused(JsonNode r, int status, String code) {
        assertThat(r.path("http_status").asInt()).as(r.toString()).isEqualTo(status);
        assertThat(r.path("code").asText()).as(r.toString()).isEqualTo(code);
    }

    @Test
    void payingAQrCodeFromSomeoneElsesAccountIsRefusedAndNothingMoves() {
        int before = movements(VICTIM);
        refused(f.client.post("/api/v1/qr/pay", attacker.accessToken(), f.client.obj().put("account_id", VICTIM)
                .put("payload", code(1_200))), 403, "NOT_YOUR_ACCOUNT");
        refused(f.client.post("/api/v1/qr/pay", null, f.client.obj().put("account_id", VICTIM)
                .put("payload", code(1_200))), 401, "NOT_AUTHENTICATED");
        assertThat(total(VICTIM)).isEqualTo(100_000);
        assertThat(movements(VICTIM)).isEqualTo(before);
        JsonNode own = f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", code(1_200)));
        assertThat(own.path("http_status").asInt()).as(own.toString()).isEqualTo(200);
        assertThat(total(VICTIM)).isEqualTo(98_800);
    }

    @Test
    void wrongCardPasswordsThroughQrPayAreCountedAndBackOffThenExpire() {
        String big = code(8_000);
        for (int i = 0; i < 5; i++) {
            JsonNode r = f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", big)
                    .put("card_password", "000000"));
            refused(r, 403, "WRONG_CARD_PASSWORD");
            assertThat(r.path("attempts_left").asInt()).isEqualTo(4 - i);
        }
        for (int i = 0; i < 15; i++) {
            refused(f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", big)
                    .put("card_password", "000000")), 429, "TOO_MANY_ATTEMPTS");
        }
        refused(f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", big)
                .put("card_password", "071230")), 429, "TOO_MANY_ATTEMPTS");
        refused(f.client.post("/api/v1/me/loss", victim.accessToken(), f.client.obj().put("card_password", "071230")),
                429, "TOO_MANY_ATTEMPTS");
        assertThat(total(VICTIM)).isEqualTo(100_000);
        refused(f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", big)),
                403, "CARD_PASSWORD_REQUIRED");

        f.clock.advance(Duration.ofMinutes(1));
        JsonNode ok = f.client.post("/api/v1/qr/pay", victim.accessToken(), f.client.obj().put("payload", big)
                .put("card_password", "071230"));
        assertThat(ok.path("http_status").asInt()).as("the back-off expires: no permanent lock").isEqualTo(200);
        assertThat(total(VICTIM)).isEqualTo(92_000);
    }

    @Test
    void twentyParallelWrongCardPasswordsGetExactlyFiveChecks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<JsonNode>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tries.add(() -> f.client.post("/api/v1/me/loss", victim.accessToken(),
                        f.client.obj().put("card_password", "999999")));
            }
            int checked = 0;
            int backedOff = 0;
            for (Future<JsonNode> r : pool.invokeAll(tries)) {
                checked += r.get().path("code").asText().equals("WRONG_CARD_PASSWORD") ? 1 : 0;
                backedOff += r.get().path("code").asText().equals("TOO_MANY_ATTEMPTS") ? 1 : 0;
            }
            assertThat(checked).isEqualTo(5);
            assertThat(backedOff).isEqualTo(15);
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.ledger.accounts().status(VICTIM).name()).isEqualTo("ACTIVE");
    }

    @Test
    void lossAndUnlossTouchOnlyTheCallersOwnCardAndNeedItsPassword() {
        refused(f.client.post("/api/v1/accounts/" + VICTIM + "/loss", attacker.accessToken(),
                f.client.obj().put("password", "071230")), 404, "NO_SUCH_ENDPOINT");
        JsonNode mine = f.client.post("/api/v1/me/loss", attacker.accessToken(), f.client.obj()
                .put("card_password", "071230"));
        refused(mine, 403, "WRONG_CARD_PASSWORD");
        assertThat(f.ledger.accounts().status(VICTIM).name()).isEqualTo("ACTIVE");
        assertThat(f.client.post("/api/v1/me/loss", victim.accessToken(), f.client.obj().put("card_password", "071230"))
                .path("status").asText()).isEqualTo("LOST");
        refused(f.client.post("/api/v1/me/unloss", attacker.accessToken(), f.client.obj().put("card_password", "126548")),
                409, "NOT_LOST");
        assertThat(f.ledger.accounts().status(VICTIM).name()).isEqualTo("LOST");
    }

    @Test
    void topUpsWithoutAPaymentCreditNothing() {
        for (String path : List.of("/api/v1/accounts/" + ATTACKER + "/topups", "/api/v1/accounts/" + VICTIM + "/topups")) {
            for (int i = 0; i < 3; i++) {
                refused(f.client.post(path, attacker.accessToken(), f.client.obj().put("yuan", 1000)
                        .put("channel", "wechat")), 404, "NO_SUCH_ENDPOINT");
            }
        }
        refused(f.client.post("/api/v1/topups", attacker.accessToken(), f.client.obj().put("yuan", 1000)
                .put("channel", "wechat")), 503, "CHANNEL_UNAVAILABLE");
        refused(f.client.post("/api/v1/topups", attacker.accessToken(), f.client.obj().put("yuan", 1001)
                .put("channel", "wechat")), 400, "BAD_FIELD");
        refused(f.client.post("/api/v1/topups", attacker.accessToken(), f.client.obj().put("yuan", 0)
                .put("channel", "wechat")), 400, "BAD_FIELD");
        refused(f.client.post("/api/v1/topups", attacker.accessToken(), f.client.obj().put("yuan", 10.5)
                .put("channel", "wechat")), 400, "BAD_FIELD");
        refused(f.client.post("/api/v1/pay/notify/wechat", null, f.client.obj().put("out_trade_no", "T1")
                .put("amount", 100_000)), 503, "CHANNEL_UNAVAILABLE");
        assertThat(total(ATTACKER)).isEqualTo(500);
        assertThat(f.app.topUps().orders().all()).isEmpty();
    }

    @Test
    void nobodyReadsAnotherStudentsBalanceBillsOrMessages() {
        f.ledger.messages().addMessage(VICTIM, "your card was seen at T-1");
        for (String what : List.of("balance", "bills", "messages")) {
            refused(f.client.get("/api/v1/accounts/" + VICTIM + "/" + what, attacker.accessToken()), 404,
                    "NO_SUCH_ENDPOINT");
            refused(f.client.get("/api/v1/me/" + what, null), 401, "NOT_AUTHENTICATED");
        }
        JsonNode mine = f.client.get("/api/v1/me/messages", attacker.accessToken());
        assertThat(mine.path("account_id").asLong()).isEqualTo(ATTACKER);
        assertThat(mine.toString()).doesNotContain("seen at");
        assertThat(f.client.get("/api/v1/me/balance", attacker.accessToken()).path("account_id").asLong())
                .isEqualTo(ATTACKER);
        refused(f.client.get("/api/v1/admin/audit", attacker.accessToken()), 403, "ADMIN_ONLY");
        refused(f.client.post("/api/v1/admin/users/v01/unlock", attacker.accessToken(), f.client.obj()
                .put("reason", "x")), 403, "ADMIN_ONLY");
        refused(f.client.post("/api/v1/admin/notices", attacker.accessToken(), f.client.obj().put("text", "free meals")),
                403, "ADMIN_ONLY");
    }

    @Test
    void aFinderLearnsNotWhoseCardItIsAndTheOwnerIsTold() {
        JsonNode r = f.client.post("/api/v1/found-cards", attacker.accessToken(), f.client.obj()
                .put("card_uid", "01020304").put("place", "library, 2nd floor"));
        assertThat(r.path("http_status").asInt()).isEqualTo(200);
        assertThat(r.toString()).doesNotContain("v01").doesNotContain(Long.toString(VICTIM)).doesNotContain("student v01");
        assertThat(f.client.get("/api/v1/me/messages", victim.accessToken()).toString()).contains("library, 2nd floor");
        refused(f.client.post("/api/v1/found-cards", attacker.accessToken(), f.client.obj()
                .put("card_uid", "0A0B0C0D").put("place", "x")), 404, "UNKNOWN_CARD");
    }

    @Test
    void foundCardReportsAreLimitedSoAFinderCannotProbeUidsOrFloodAnOwner() {
        int before = f.client.get("/api/v1/me/messages", victim.accessToken()).path("items").size();
        for (int i = 0; i < 10; i++) {
            JsonNode r = f.client.post("/api/v1/found-cards", attacker.accessToken(), f.client.obj()
                    .put("card_uid", i % 2 == 0 ? "01020304" : String.format("0A0B0C%02X", i)).put("place", "gate " + i));
            assertThat(r.path("http_status").asInt()).as(r.toString()).isIn(200, 404);
        }
        JsonNode probe = f.client.post("/api/v1/found-cards", attacker.accessToken(), f.client.obj()
                .put("card_uid", "0A0B0CFF").put("place", "gate 10"));
        refused(probe, 429, "TOO_MANY_ATTEMPTS");
        assertThat(probe.path("retry_after_s").asLong()).as(probe.toString()).isPositive();
        refused(f.client.post("/api/v1/found-cards", attacker.accessToken(), f.client.obj()
                .put("card_uid", "01020304").put("place", "gate 11")), 429, "TOO_MANY_ATTEMPTS");
        assertThat(f.client.get("/api/v1/me/messages", victim.accessToken()).path("items").size() - before)
                .as("the owner heard of the five reports before the limit, not of the refused one").isEqualTo(5);
        // Another finder is not held back by this one, and the limit lifts after its hour.
        assertThat(f.client.post("/api/v1/found-cards", victim.accessToken(), f.client.obj()
                .put("card_uid", "05060708").put("place", "canteen")).path("http_status").asInt()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(61));
        JsonNode again = f.loginReply("13800000002", "a02", "attackpass1", attacker.deviceId());
        assertThat(again.path("access_token").asText()).as(again.toString()).isNotEmpty();
        assertThat(f.client.post("/api/v1/found-cards", again.path("access_token").asText(), f.client.obj()
                .put("card_uid", "01020304").put("place", "gate 12")).path("http_status").asInt()).isEqualTo(200);
    }

    @Test
    void aTokenSignedWithTheRawTokenSecretIsRefusedBecauseEachUseHasItsOwnKey() throws Exception {
        // The fixture's token secret is 32 zero bytes. The same claims as the victim's live token,
        // signed under the secret itself: valid only if the service signed tokens with the raw secret.
        com.nimbusds.jwt.SignedJWT real = com.nimbusds.jwt.SignedJWT.parse(victim.accessToken());
        com.nimbusds.jwt.SignedJWT forged = new com.nimbusds.jwt.SignedJWT(real.getHeader(), real.getJWTClaimsSet());
        forged.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        refused(f.client.get("/api/v1/me/balance", forged.serialize()), 401, "TOKEN_INVALID");
        assertThat(f.client.get("/api/v1/me/balance", victim.accessToken()).path("account_id").asLong())
                .isEqualTo(VICTIM);
    }
}
