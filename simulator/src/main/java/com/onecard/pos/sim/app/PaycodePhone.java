package com.onecard.pos.sim.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.paycode.PaycodeFormatException;

import java.security.KeyPair;
import java.util.Base64;

/**
 * The payment-code (支付码) half of a simulated student's phone, as the campus app does it:
 * after login it makes a P-256 key pair, has the public key certified by the center, remembers
 * the center's clock, and from then on shows codes without the network: the time step in
 * center time, a counter for each code shown in the same step, signed by the device key.
 */
public final class PaycodePhone {
    private final KeyPair keys;
    private final DeviceCertificate certificate;
    /** Center clock minus this phone's clock, from the certification answer. */
    private final long centerOffsetMs;
    private long step = -1;
    private int counter;

    private PaycodePhone(KeyPair keys, DeviceCertificate certificate, long centerOffsetMs) {
        this.keys = keys;
        this.certificate = certificate;
        this.centerOffsetMs = centerOffsetMs;
    }

    /**
     * Makes a device key and has it certified through the app API (the student must be logged in).
     *
     * @throws IllegalStateException naming the center's refusal
     */
    public static PaycodePhone certify(StudentApp app) {
        KeyPair keys = P256.newKeyPair();
        long asked = System.currentTimeMillis();
        JsonNode r = app.post("/api/v1/paycode/certificate", app.obj().put("public_key",
                Base64.getUrlEncoder().withoutPadding().encodeToString(P256.point(keys.getPublic()))));
        if (r.path("http_status").asInt() != 200) {
            throw new IllegalStateException("payment-code certificate refused: " + r.path("code").asText() + " "
                    + r.path("message").asText());
        }
        try {
            DeviceCertificate cert = DeviceCertificate.decode(Base64.getUrlDecoder().decode(r.path("certificate").asText()), 0);
            long offset = r.path("center_time_ms").asLong() - (asked + System.currentTimeMillis()) / 2;
            return new PaycodePhone(keys, cert, offset);
        } catch (PaycodeFormatException e) {
            throw new IllegalStateException("the center's payment-code certificate does not decode: " + e.getMessage(), e);
        }
    }

    /** A fresh code, as the app shows it now (phone offline or not). */
    public synchronized String code() {
        long s = Paycode.stepOf(System.currentTimeMillis() + centerOffsetMs);
        counter = s == step ? counter + 1 : 0;
        step = s;
        return Paycode.sign(certificate, keys.getPrivate(), s, counter).text();
    }

    /** A code of a step {@code ago} in the past: an old screenshot. */
    public String codeFrom(java.time.Duration ago) {
        long s = Paycode.stepOf(System.currentTimeMillis() + centerOffsetMs - ago.toMillis());
        return Paycode.sign(certificate, keys.getPrivate(), s, 0).text();
    }

    public DeviceCertificate certificate() {
        return certificate;
    }

    /** An attacker's edit of a code: one bit of the certified account flipped. */
    public static String edited(String code) {
        byte[] b = Paycode.parseUnchecked(code).encode();
        b[1 + 13 + 7] ^= 1;
        return Paycode.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
