package com.onecard.pos.center.paycode;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.PaycodeIssuerKey;
import com.onecard.pos.sync.proto.PaycodeRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * Device certificates for payment codes: a logged-in student's device sends its P-256 public
 * key and gets it certified for the student's account until {@link #LIFETIME} from now. A
 * session holds at most one live certificate: a new one revokes the one before, and ending the
 * session (logout, a new login elsewhere, the card office) revokes it. Each revocation and each
 * issuer key goes to terminals on the "paycode" stream, in the same transaction.
 */
public final class PaycodeCertificates {
    private static final Logger log = LoggerFactory.getLogger(PaycodeCertificates.class);
    /**
     * How long a certificate is good: it bounds how long a terminal that missed a revocation
     * (offline) can still accept the device's codes. The app renews it whenever it is online.
     */
    public static final Duration LIFETIME = Duration.ofHours(72);

    private final UnitOfWork uow;
    private final PaycodeIssuer issuer;
    private final Clock clock;

    public PaycodeCertificates(UnitOfWork uow, PaycodeIssuer issuer, Clock clock) {
        this.uow = uow;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Publishes the issuer key on the "paycode" stream once (idempotent across instances and restarts). */
    public void publishIssuerKey() {
        if (publishIssuerKey(uow, issuer.point(), clock)) {
            log.info("payment-code issuer key {} published to terminals", Integer.toHexString(issuer.keyId()));
        }
    }

    /**
     * Publishes an issuer public key (65-byte point) on the "paycode" stream unless it is already;
     * returns whether it was new. Terminals trust every key published.
     */
    public static boolean publishIssuerKey(UnitOfWork uow, byte[] point, Clock clock) {
        int keyId = P256.keyId(point);
        return uow.run("publishing payment-code issuer key " + Integer.toHexString(keyId), tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO paycode_issuer_keys(key_id, point, published_ms) VALUES (?, ?, ?)
                    ON CONFLICT (key_id) DO NOTHING""")) {
                p.setInt(1, keyId);
                p.setBytes(2, point);
                p.setLong(3, clock.millis());
                if (p.executeUpdate() == 0) {
                    return false;
                }
            }
            tx.append(Streams.PAYCODE, null, Downstream.newBuilder().setPaycodeIssuer(PaycodeIssuerKey.newBuilder()
                    .setKeyId(keyId).setPoint(ByteString.copyFrom(point))));
            return true;
        });
    }

    /**
     * Certifies a device key for the caller's session and account; revokes the session's previous certificate.
     *
     * @param devicePoint the device's public key, 65 bytes uncompressed
     * @throws IllegalArgumentException when the bytes are not a P-256 point
     */
    public DeviceCertificate certify(long sessionId, String deviceId, long accountId, byte[] devicePoint) {
        PublicKey device = P256.publicKey(devicePoint);
        long now = clock.millis();
        long notAfter = now + LIFETIME.toMillis();
        return uow.run("certifying a payment-code key for session " + sessionId, tx -> {
            revokeSessions(tx, java.util.List.of(sessionId), "replaced by a new certificate", now);
            long serial;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO paycode_certificates(account_id, session_id, device_id, issuer_key_id, device_point,
                      issued_ms, not_after_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING serial""")) {
                p.setLong(1, accountId);
                p.setLong(2, sessionId);
                p.setString(3, deviceId);
                p.setInt(4, issuer.keyId());
                p.setBytes(5, devicePoint);
                p.setLong(6, now);
                p.setLong(7, notAfter);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    serial = r.getLong(1);
                }
            }
            return issuer.certify(serial, accountId, notAfter, device);
        });
    }

    /**
     * Revokes the live certificates of these sessions inside the caller's transaction and
     * announces each on the "paycode" stream; returns how many.
     */
    public static int revokeSessions(Tx tx, Collection<Long> sessionIds, String reason, long nowMs) throws SQLException {
        if (sessionIds.isEmpty()) {
            return 0;
        }
        int n = 0;
        try (PreparedStatement p = tx.c().prepareStatement("""
                UPDATE paycode_certificates SET revoked_ms = ?, revoked_reason = ?
                WHERE session_id = ANY(?) AND revoked_ms IS NULL RETURNING serial, account_id""")) {
            p.setLong(1, nowMs);
            p.setString(2, reason);
            p.setArray(3, tx.c().createArrayOf("bigint", sessionIds.toArray()));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    tx.append(Streams.PAYCODE, null, Downstream.newBuilder().setPaycodeRevocation(
                            PaycodeRevocation.newBuilder().setSerial(r.getLong(1)).setAccountId(r.getLong(2))
                                    .setRevokedAtMs(nowMs).setReason(reason)));
                    n++;
                }
            }
        }
        return n;
    }

    public PaycodeIssuer issuer() {
        return issuer;
    }
}
