package com.onecard.pos.sync.keys;

import java.nio.charset.StandardCharsets;

/**
 * The secret keys of one terminal and where each comes from. A terminal has one secret, made by
 * {@code scripts/provision} and registered at the card center; the center derives the same keys
 * from it to check what the terminal sends. On the terminal each key lives in its key token as a
 * separate, non-extractable object that can only compute MACs (docs/key-hierarchy.md).
 *
 * <ul>
 *   <li>journal MAC key: the terminal secret itself, as terminals provisioned before the token
 *       used it (their journals keep verifying, at the center too);</li>
 *   <li>QR MAC key: HKDF-SHA256(secret, salt {@value #SALT}, info "qr-mac|" + terminal id), so a
 *       payment code's MAC says nothing about the journal key, and names the terminal.</li>
 * </ul>
 */
public final class TerminalKeySchedule {
    public static final String SALT = "onecard/terminal-keys/v1";
    public static final int KEY_BYTES = 32;

    private TerminalKeySchedule() {
    }

    /** The key of the journal's MAC chain. */
    public static byte[] journalKey(byte[] terminalSecret) {
        check(terminalSecret);
        return terminalSecret.clone();
    }

    /** The key of this terminal's payment QR codes. */
    public static byte[] qrKey(byte[] terminalSecret, String terminalId) {
        check(terminalSecret);
        return Hkdf.derive(terminalSecret, SALT.getBytes(StandardCharsets.US_ASCII),
                ("qr-mac|" + terminalId).getBytes(StandardCharsets.UTF_8), KEY_BYTES);
    }

    private static void check(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("a terminal secret is at least 16 bytes");
        }
    }
}
