package com.onecard.pos.paycode;

import com.onecard.pos.paycode.PaycodeVerifier.Outcome;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The payment code format and its offline check, on a golden vector (src/test/resources/paycode/
 * vector-1.properties, also in docs/paycode.md): the vector verifies at its time, and each way a
 * code can be wrong is refused with its own outcome.
 */
class PaycodeVerifierTest {
    static final Properties V = load();
    static final HexFormat HEX = HexFormat.of();
    static final long NOW = Long.parseLong(V.getProperty("now.ms"));
    static final byte[] ISSUER_POINT = HEX.parseHex(V.getProperty("issuer.point"));
    static final PublicKey ISSUER = P256.publicKey(ISSUER_POINT);
    static final PrivateKey ISSUER_PRIVATE = privateKey(V.getProperty("issuer.pkcs8"));
    static final PrivateKey DEVICE_PRIVATE = privateKey(V.getProperty("device.pkcs8"));
    static final String TEXT = V.getProperty("code.text");
    static final PaycodeVerifier VERIFIER = new PaycodeVerifier(PaycodeVerifier.Window.DEFAULT);

    static Properties load() {
        try (InputStream in = PaycodeVerifierTest.class.getResourceAsStream("/paycode/vector-1.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey privateKey(String hex) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(HEX.parseHex(hex)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static IntFunction<PublicKey> keys() {
        int id = P256.keyId(ISSUER_POINT);
        return k -> k == id ? ISSUER : null;
    }

    static Outcome check(String text, long now) {
        return VERIFIER.verify(text, now, keys(), serial -> false).outcome();
    }

    static String text(byte[] bytes) {
        return Paycode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void theGoldenVectorDecodesFieldByFieldAndVerifiesAtItsTime() throws Exception {
        Paycode p = Paycode.parse(TEXT);
        assertThat(HEX.formatHex(p.encode())).isEqualTo(V.getProperty("code.hex"));
        assertThat(HEX.formatHex(p.certificate().encode())).isEqualTo(V.getProperty("certificate"));
        assertThat(p.certificate().serial()).isEqualTo(4242);
        assertThat(p.certificate().accountId()).isEqualTo(20240001L);
        assertThat(p.certificate().notAfterMs()).isEqualTo(NOW + 72L * 3600_000);
        assertThat(p.certificate().issuerKeyId()).isEqualTo(P256.keyId(ISSUER_POINT));
        assertThat(HEX.formatHex(p.certificate().devicePoint())).isEqualTo(V.getProperty("device.point"));
        assertThat(p.timeStep()).isEqualTo(NOW / 30_000);
        assertThat(p.counter()).isEqualTo(3);
        assertThat(TEXT).hasSize(Paycode.TEXT_LENGTH).startsWith("OCP1");
        assertThat(p.text()).isEqualTo(TEXT);
        assertThat(check(TEXT, NOW)).isEqualTo(Outcome.OK);
        assertThat(p.toString()).doesNotContain(TEXT.substring(4, 40));
    }

    @Test
    void aCodeLivesFromThirtySecondsBeforeItsStepUntilSixtySecondsAfterItEnds() {
        long start = (NOW / 30_000) * 30_000;
        assertThat(check(TEXT, start - 30_000)).isEqualTo(Outcome.OK);
        assertThat(check(TEXT, start - 30_001)).isEqualTo(Outcome.NOT_YET_VALID);
        assertThat(check(TEXT, start + 90_000)).isEqualTo(Outcome.OK);
        assertThat(check(TEXT, start + 90_001)).isEqualTo(Outcome.EXPIRED);
        assertThat(VERIFIER.window().lastGoodMs(NOW / 30_000)).isEqualTo(start + 90_000);
    }

    @Test
    void anExpiredCertificateIsRefusedEvenWithAFreshCode() {
        long after = NOW + 72L * 3600_000 + 1;
        String fresh = Paycode.sign(cert(), DEVICE_PRIVATE, Paycode.stepOf(after), 0).text();
        assertThat(check(fresh, after)).isEqualTo(Outcome.CERTIFICATE_EXPIRED);
        assertThat(check(fresh, after - 1)).isEqualTo(Outcome.OK);
    }

    @Test
    void aRevokedCertificateIsRefused() {
        assertThat(VERIFIER.verify(TEXT, NOW, keys(), s -> s == 4242).outcome()).isEqualTo(Outcome.REVOKED);
        assertThat(VERIFIER.verify(TEXT, NOW, keys(), s -> s == 4243).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void editingTheAccountTheSerialTheExpiryOrTheDeviceKeyBreaksTheCertificate() {
        byte[] b = Paycode.parseUnchecked(TEXT).encode();
        for (int at : new int[] {1 + 5, 1 + 13 + 7, 1 + 21 + 7, 1 + 29 + 40, 1 + 94 + 10}) {
            byte[] e = b.clone();
            e[at] ^= 1;
            assertThat(check(text(e), NOW)).as("byte " + at).isIn(Outcome.BAD_CERTIFICATE);
        }
    }

    @Test
    void editingTheStepTheCounterOrTheSignatureBreaksTheCodeSignature() {
        byte[] b = Paycode.parseUnchecked(TEXT).encode();
        for (int at : new int[] {159 + 3, 163 + 1, 165 + 20, 228}) {
            byte[] e = b.clone();
            e[at] ^= 1;
            assertThat(check(text(e), NOW)).as("byte " + at).isEqualTo(Outcome.BAD_SIGNATURE);
        }
    }

    @Test
    void aCodeSignedByAnotherDeviceKeyUnderThisCertificateIsForged() {
        KeyPair thief = P256.newKeyPair();
        String forged = Paycode.sign(cert(), thief.getPrivate(), Paycode.stepOf(NOW), 0).text();
        assertThat(check(forged, NOW)).isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void aCertificateFromAnotherIssuerKeyIsUnknownAndOneSelfSignedUnderOurIdIsBad() {
        KeyPair other = P256.newKeyPair();
        KeyPair device = P256.newKeyPair();
        DeviceCertificate foreign = DeviceCertificate.issue(other.getPrivate(), P256.point(other.getPublic()), 1,
                20240001L, NOW + 3600_000, device.getPublic());
        assertThat(check(Paycode.sign(foreign, device.getPrivate(), Paycode.stepOf(NOW), 0).text(), NOW))
                .isEqualTo(Outcome.UNKNOWN_ISSUER);
        // the attacker's own key, but claiming the center's key id
        DeviceCertificate claimed = DeviceCertificate.issue(other.getPrivate(), ISSUER_POINT, 1, 20240001L,
                NOW + 3600_000, device.getPublic());
        assertThat(check(Paycode.sign(claimed, device.getPrivate(), Paycode.stepOf(NOW), 0).text(), NOW))
                .isEqualTo(Outcome.BAD_CERTIFICATE);
    }

    @Test
    void textThatIsNotAPaymentCodeOrIsCutOrReEncodedIsToldApart() {
        assertThat(check("6901234567892", NOW)).isEqualTo(Outcome.NOT_A_PAYCODE);
        assertThat(check(TEXT.substring(0, TEXT.length() - 1), NOW)).isEqualTo(Outcome.MALFORMED);
        assertThat(check(TEXT + "A", NOW)).isEqualTo(Outcome.MALFORMED);
        assertThat(check(TEXT.replace('_', '/'), NOW)).isIn(Outcome.MALFORMED, Outcome.OK);
        // the last character carries 2 spare bits: another character with the same 6-bit prefix is not canonical
        char last = TEXT.charAt(TEXT.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(last);
        String other = TEXT.substring(0, TEXT.length() - 1) + alphabet.charAt(v ^ 1);
        assertThat(check(other, NOW)).isEqualTo(Outcome.MALFORMED);
        assertThatThrownBy(() -> Paycode.parse("OCP1" + "A".repeat(Paycode.TEXT_LENGTH - 4)))
                .isInstanceOf(PaycodeFormatException.class).hasMessageContaining("version");
    }

    @Test
    void aPointOffTheCurveIsRefusedAsAKey() {
        byte[] p = ISSUER_POINT.clone();
        p[64] ^= 1;
        assertThatThrownBy(() -> P256.publicKey(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a point on P-256");
    }

    @Property(tries = 300)
    void anyTextIsAVerdictNeverAnException(@ForAll @StringLength(max = 400) String s) {
        assertThat(VERIFIER.verify("OCP1" + s, NOW, keys(), x -> false).outcome()).isNotEqualTo(Outcome.OK);
        assertThat(VERIFIER.verify(s, NOW, keys(), x -> false)).isNotNull();
    }

    @Property(tries = 200)
    void anySingleByteEditIsRefused(@ForAll @IntRange(min = 0, max = Paycode.BYTES - 1) int at,
                                    @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] b = Paycode.parseUnchecked(TEXT).encode();
        b[at] ^= (byte) mask;
        assertThat(check(text(b), NOW)).isNotEqualTo(Outcome.OK);
    }

    static DeviceCertificate cert() {
        return Paycode.parseUnchecked(TEXT).certificate();
    }

    @Test
    void theIssuerKeyOfTheVectorIssuesCertificatesTheVectorsIssuerAccepts() {
        KeyPair device = P256.newKeyPair();
        DeviceCertificate c = DeviceCertificate.issue(ISSUER_PRIVATE, ISSUER_POINT, 7, 1, NOW + 1000, device.getPublic());
        assertThat(c.signedBy(ISSUER)).isTrue();
        assertThat(check(Paycode.sign(c, device.getPrivate(), Paycode.stepOf(NOW), 65535).text(), NOW))
                .isEqualTo(Outcome.OK);
    }
}
