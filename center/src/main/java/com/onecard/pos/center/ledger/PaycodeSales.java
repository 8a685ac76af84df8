package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.paycode.DeviceCertificate;
import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.paycode.PaycodeFormatException;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowRefusal;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The center's own check of a PAYCODE_SALE row before it moves money: the terminal decided the
 * sale offline, but a payment for an account needs that account's device to have signed the
 * code, so a terminal (or whoever holds its keys) cannot charge a student it never saw. The
 * code must be under one of the center's issuer keys, signed by the certified device key, for
 * the row's account, and not applied before at any terminal (certificate, time step, counter).
 */
final class PaycodeSales {
    private PaycodeSales() {
    }

    /** Allowed (code null), or the refusal with a message for the card office. */
    record Verdict(RowRefusal code, String message) {
        boolean allowed() {
            return code == null;
        }
    }

    static Verdict judge(Tx tx, String terminalId, int epoch, JournalRow row) throws SQLException {
        Paycode code;
        try {
            code = Paycode.parse(row.getQrToken());
        } catch (PaycodeFormatException e) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "payment code does not parse: " + e.getMessage());
        }
        DeviceCertificate cert = code.certificate();
        byte[] issuerPoint = null;
        try (PreparedStatement p = tx.c().prepareStatement("SELECT point FROM paycode_issuer_keys WHERE key_id = ?")) {
            p.setInt(1, cert.issuerKeyId());
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    issuerPoint = r.getBytes(1);
                }
            }
        }
        if (issuerPoint == null) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "issuer key " + Integer.toHexString(cert.issuerKeyId())
                    + " is not the center's");
        }
        if (!cert.signedBy(P256.publicKey(issuerPoint))) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "certificate " + cert.serial() + " is not the center's");
        }
        PublicKey device;
        try {
            device = P256.publicKey(cert.devicePoint());
        } catch (IllegalArgumentException e) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "certificate " + cert.serial() + ": " + e.getMessage());
        }
        if (!code.signedBy(device)) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "code of certificate " + cert.serial()
                    + " is not signed by its device");
        }
        if (cert.accountId() != row.getAccountId()) {
            return new Verdict(RowRefusal.PAYCODE_INVALID, "code of account " + cert.accountId()
                    + " journaled for account " + row.getAccountId());
        }
        try (PreparedStatement p = tx.c().prepareStatement("""
                INSERT INTO paycode_used(serial, time_step, counter, terminal_id, epoch, seq) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            p.setLong(1, cert.serial());
            p.setLong(2, code.timeStep());
            p.setInt(3, code.counter());
            p.setString(4, terminalId);
            p.setInt(5, epoch);
            p.setLong(6, row.getSeq());
            if (p.executeUpdate() == 0) {
                return new Verdict(RowRefusal.PAYCODE_REPLAYED, "payment code (certificate " + cert.serial() + ", step "
                        + code.timeStep() + ", counter " + code.counter() + ") was applied before");
            }
        }
        return new Verdict(null, null);
    }
}
