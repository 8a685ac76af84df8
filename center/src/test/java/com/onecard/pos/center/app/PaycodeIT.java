package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.ledger.IngestResult;
import com.onecard.pos.center.ledger.StreamReads;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.center.testing.FakeOutbox;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.paycode.PaycodeVerifier;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.sync.proto.RowRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 支付码 at the center, over real HTTP and PostgreSQL: a logged-in device gets its key certified
 * for its own account under the issuer key the center published to terminals; logout revokes
 * it on the "paycode" stream; a PAYCODE_SALE debits once, and a replayed, forged or
 * other-account code moves no money and is refused with its reason.
 */
class PaycodeIT {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    @TempDir
    Path dir;
    AppFixture f;
    AppFixture.Phone student;
    AppFixture.Phone other;

    @BeforeEach
    void start() {
        f = new AppFixture("paycode", dir);
        f.student(20260001, "s01", null, 1_000, 2_000, new byte[] {1, 2, 3, 4});
        f.student(20260002, "s02", null, 1_000, 2_000, new byte[] {1, 2, 3, 5});
        student = f.firstLogin("13800000001", "s01", "111111", "paycodepass1");
        other = f.firstLogin("13800000002", "s02", "111111", "paycodepass2");
        f.ledger.terminals().register("T-P1", SECRET);
        f.ledger.terminals().register("T-P2", SECRET);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    record Device(KeyPair keys, DeviceCertificate cert) {
        String code(long centerMs, int counter) {
            return Paycode.sign(cert, keys.getPrivate(), Paycode.stepOf(centerMs), counter).text();
        }
    }

    Device certify(AppFixture.Phone phone) {
        KeyPair keys = P256.newKeyPair();
        JsonNode r = f.client.post("/api/v1/paycode/certificate", phone.accessToken(), f.client.obj()
                .put("public_key", Base64.getUrlEncoder().withoutPadding().encodeToString(P256.point(keys.getPublic()))));
        assertThat(r.path("http_status").asInt()).as(r.toString()).isEqualTo(200);
        byte[] b = Base64.getUrlDecoder().decode(r.path("certificate").asText());
        try {
            return new Device(keys, DeviceCertificate.decode(b, 0));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    List<Downstream> paycodeStream() {
        long v = f.ledger.reads().versions().get("paycode");
        return f.ledger.reads().range("paycode", 0, v, List.of()).others().stream().map(StreamReads.Routed::change).toList();
    }

    PublicKey publishedIssuer() {
        List<Downstream> keys = paycodeStream().stream().filter(Downstream::hasPaycodeIssuer).toList();
        assertThat(keys).hasSize(1);
        return P256.publicKey(keys.get(0).getPaycodeIssuer().getPoint().toByteArray());
    }

    @Test
    void aLoggedInDeviceIsCertifiedForItsOwnAccountUnderThePublishedIssuerKey() {
        Device d = certify(student);
        assertThat(d.cert().accountId()).isEqualTo(20260001);
        assertThat(d.cert().notAfterMs()).isEqualTo(AppFixture.NOW.toEpochMilli() + Duration.ofHours(72).toMillis());
        PublicKey issuer = publishedIssuer();
        assertThat(d.cert().signedBy(issuer)).isTrue();
        int keyId = P256.keyId(P256.point(issuer));
        var verdict = new PaycodeVerifier(PaycodeVerifier.Window.DEFAULT).verify(d.code(f.clock.millis(), 0),
                f.clock.millis(), k -> k == keyId ? issuer : null, s -> false);
        assertThat(verdict.outcome()).isEqualTo(PaycodeVerifier.Outcome.OK);
        // an account_id in the body is not a way to another account: the session's account is certified
        KeyPair k = P256.newKeyPair();
        JsonNode r = f.client.post("/api/v1/paycode/certificate", other.accessToken(), f.client.obj()
                .put("public_key", Base64.getUrlEncoder().encodeToString(P256.point(k.getPublic())))
                .put("account_id", 20260001));
        assertThat(r.path("account_id").asLong()).isEqualTo(20260002);
    }

    @Test
    void aKeyThatIsNotAP256PointIsRefusedNamingTheField() {
        byte[] bad = P256.point(P256.newKeyPair().getPublic());
        bad[64] ^= 1;
        JsonNode r = f.client.post("/api/v1/paycode/certificate", student.accessToken(), f.client.obj()
                .put("public_key", Base64.getUrlEncoder().encodeToString(bad)));
        assertThat(r.path("code").asText()).isEqualTo("BAD_FIELD");
        assertThat(r.path("message").asText()).contains("public_key", "not a point on P-256");
        JsonNode anonymous = f.client.post("/api/v1/paycode/certificate", null, f.client.obj().put("public_key", "x"));
        assertThat(anonymous.path("code").asText()).isEqualTo("NOT_AUTHENTICATED");
    }

    @Test
    void logoutAndANewCertificateRevokeTheOldOnesOnThePaycodeStream() {
        Device first = certify(student);
        Device second = certify(student);
        assertThat(revokedSerials()).containsExactly(first.cert().serial());
        assertThat(f.client.post("/api/v1/auth/logout", student.accessToken(), f.client.obj()).path("http_status").asInt())
                .isEqualTo(200);
        assertThat(revokedSerials()).containsExactly(first.cert().serial(), second.cert().serial());
        assertThat(paycodeStream().stream().filter(Downstream::hasPaycodeRevocation).toList().get(1)
                .getPaycodeRevocation().getReason()).contains("logged out");
    }

    List<Long> revokedSerials() {
        return paycodeStream().stream().filter(Downstream::hasPaycodeRevocation)
                .map(d -> d.getPaycodeRevocation().getSerial()).toList();
    }

    JournalRow paycodeSale(FakeOutbox journal, long account, long cash, String code) {
        return journal.append(JournalRow.newBuilder().setKind(RowKind.PAYCODE_SALE).setSaleId("p-" + journal.all().size())
                .setTimeMs(f.clock.millis()).setAccountId(account).setAmountFen(cash).setCashFen(cash).setQrToken(code));
    }

    long total(long account) {
        long[] p = f.ledger.accounts().purses(account);
        return p[0] + p[1];
    }

    @Test
    void aPaycodeSaleDebitsOnceAndAReplayedForgedOrOtherAccountCodeMovesNothing() {
        Device d = certify(student);
        String code = d.code(f.clock.millis(), 0);
        FakeOutbox t1 = new FakeOutbox(SECRET);
        paycodeSale(t1, 20260001, 500, code);
        IngestResult r1 = f.ledger.ingest().ingest("T-P1", t1.all());
        assertThat(r1.ok()).isTrue();
        assertThat(r1.refused()).isEmpty();
        assertThat(total(20260001)).isEqualTo(2_500);
        // the same upload again: idempotent on (terminal, seq)
        assertThat(f.ledger.ingest().ingest("T-P1", t1.all()).refused()).isEmpty();
        assertThat(total(20260001)).isEqualTo(2_500);

        FakeOutbox t2 = new FakeOutbox(SECRET);
        paycodeSale(t2, 20260001, 500, code);                                   // a screenshot at another window
        KeyPair thief = P256.newKeyPair();
        paycodeSale(t2, 20260001, 700, Paycode.sign(d.cert(), thief.getPrivate(), Paycode.stepOf(f.clock.millis()), 1).text());
        paycodeSale(t2, 20260002, 300, d.code(f.clock.millis(), 2));            // student's code charged to another
        IngestResult r2 = f.ledger.ingest().ingest("T-P2", t2.all());
        assertThat(r2.ok()).isTrue();
        assertThat(r2.appliedSeq()).isEqualTo(3);
        assertThat(r2.refused()).extracting(x -> x.getCode()).containsExactly(RowRefusal.PAYCODE_REPLAYED,
                RowRefusal.PAYCODE_INVALID, RowRefusal.PAYCODE_INVALID);
        assertThat(r2.refused().get(1).getMessage()).contains("not signed by its device");
        assertThat(r2.refused().get(2).getMessage()).contains("journaled for account 20260002");
        assertThat(total(20260001)).isEqualTo(2_500);
        assertThat(total(20260002)).isEqualTo(3_000);
    }

    JournalRow reversal(FakeOutbox journal, JournalRow sale, long account, long cash) {
        return journal.append(JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId(sale.getSaleId() + "-R")
                .setTimeMs(f.clock.millis()).setAccountId(account).setAmountFen(cash).setCashFen(cash)
                .setReversesSeq(sale.getSeq()).setQrToken(sale.getQrToken()));
    }

    @Test
    void aPaycodeSalesReversalCreditsOnceAndOnlyWithTheSaleItself() {
        Device d = certify(student);
        FakeOutbox t1 = new FakeOutbox(SECRET);
        JournalRow sale = paycodeSale(t1, 20260001, 500, d.code(f.clock.millis(), 0));
        assertThat(f.ledger.ingest().ingest("T-P1", t1.all()).refused()).isEmpty();
        assertThat(total(20260001)).isEqualTo(2_500);

        reversal(t1, sale, 20260001, 400);                                     // a different amount
        reversal(t1, sale, 20260002, 500);                                     // another account's money
        JournalRow undo = reversal(t1, sale, 20260001, 500);
        JournalRow again = reversal(t1, sale, 20260001, 500);                  // reversed before
        IngestResult r = f.ledger.ingest().ingest("T-P1", t1.all());
        assertThat(r.ok()).isTrue();
        assertThat(r.refused()).extracting(x -> x.getCode()).containsExactly(RowRefusal.REVERSAL_MISMATCH,
                RowRefusal.REVERSAL_MISMATCH, RowRefusal.REVERSAL_ALREADY_REVERSED);
        assertThat(r.refused()).extracting(x -> x.getSeq()).doesNotContain(undo.getSeq()).contains(again.getSeq());
        assertThat(total(20260001)).isEqualTo(3_000);                          // restored once
        assertThat(total(20260002)).isEqualTo(3_000);
        // uploaded again (idempotent), and a reversal in a later batch: still once
        reversal(t1, sale, 20260001, 500);
        IngestResult later = f.ledger.ingest().ingest("T-P1", t1.all());
        assertThat(later.refused()).extracting(x -> x.getCode()).containsExactly(RowRefusal.REVERSAL_ALREADY_REVERSED);
        assertThat(total(20260001)).isEqualTo(3_000);

        // a PAYCODE_SALE the center refused (a replayed code) moved nothing, so it cannot be reversed
        FakeOutbox t2 = new FakeOutbox(SECRET);
        JournalRow replayed = paycodeSale(t2, 20260001, 500, sale.getQrToken());
        reversal(t2, replayed, 20260001, 500);
        IngestResult r2 = f.ledger.ingest().ingest("T-P2", t2.all());
        assertThat(r2.refused()).extracting(x -> x.getCode()).containsExactly(RowRefusal.PAYCODE_REPLAYED,
                RowRefusal.REVERSAL_NO_SUCH_SALE);
        assertThat(total(20260001)).isEqualTo(3_000);
    }
}
