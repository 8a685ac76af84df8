package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.paycode.PaycodeCertificates;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;

import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * 支付码: the logged-in student's device sends its payment-code public key and gets it
 * certified for the student's own account (never another's: the account is the session's).
 * The phone then signs codes offline (docs/paycode.md); the center time in the answer lets it
 * keep its time steps in center time.
 */
final class PaycodeEndpoints {
    private final PaycodeCertificates certificates;
    private final Clock clock;

    PaycodeEndpoints(PaycodeCertificates certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(new Route("POST", "/api/v1/paycode/certificate", Access.STUDENT, this::certify));
    }

    private JsonNode certify(Call c) {
        String text = Fields.text(c.body(), "public_key");
        byte[] point;
        try {
            point = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw Refusal.badField("public_key", "must be base64url");
        }
        try {
            P256.publicKey(point);
        } catch (IllegalArgumentException e) {
            throw Refusal.badField("public_key", "must be a P-256 public key, 65 bytes uncompressed (04 || X || Y): "
                    + e.getMessage());
        }
        DeviceCertificate cert = certificates.certify(c.caller().sessionId(), c.caller().deviceId(), c.accountId(), point);
        return c.json().createObjectNode()
                .put("certificate", Base64.getUrlEncoder().withoutPadding().encodeToString(cert.encode()))
                .put("serial", cert.serial())
                .put("account_id", cert.accountId())
                .put("not_after_ms", cert.notAfterMs())
                .put("issuer_key_id", Integer.toHexString(cert.issuerKeyId()))
                .put("center_time_ms", clock.millis())
                .put("step_ms", Paycode.STEP_MS);
    }
}
