package com.onecard.pos.terminal.sale;

import com.onecard.pos.qr.CampusQr;
import com.onecard.pos.qr.CampusQrRequest;
import com.onecard.pos.qr.Verification;
import com.onecard.pos.terminal.config.TerminalConfig;

import javax.crypto.SecretKey;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Makes this terminal's payment QR codes, MAC'd with its QR key (a handle into the key token;
 * the center derives the same key from the terminal's secret and checks them).
 */
public final class QrIssuer {
    /** A code as shown: its payload and the token the center will name in its paid notice. */
    public record Issued(String payload, String token, Instant expiresAt) {
    }

    private final TerminalConfig.Terminal cfg;
    private final SecretKey key;
    private final CampusQr qr = new CampusQr();
    private final SecureRandom random = new SecureRandom();

    public QrIssuer(TerminalConfig.Terminal cfg, SecretKey key) {
        this.cfg = cfg;
        this.key = key;
    }

    /**
     * A code for one sale.
     *
     * @throws IllegalArgumentException naming the EMVCo tag when a configured field does not fit
     *                                  it (the configuration's checks make this unreachable)
     */
    public Issued issue(String saleId, long amountFen, Instant now, Instant expiresAt) {
        String zhName = cfg.merchantNameZh().isEmpty() ? null : cfg.merchantNameZh();
        String zhCity = zhName == null || cfg.cityZh().isEmpty() ? null : cfg.cityZh();
        String payload = qr.create(new CampusQrRequest(cfg.id(), cfg.canteenId(), cfg.id(), saleId, amountFen,
                cfg.merchantName(), cfg.city(), zhName, zhCity, expiresAt, key, random));
        Verification v = qr.verify(payload, key, now);
        if (!v.ok()) {
            throw new IllegalStateException("payment code for sale " + saleId + " does not verify: " + v.detail());
        }
        return new Issued(payload, v.token(), expiresAt);
    }
}
