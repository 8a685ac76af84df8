package com.onecard.pos.center.identity;

import com.onecard.pos.pin.PinVerifier;

/**
 * Checks a card password as the campus app's loss report does. An account with a verifier
 * uses it; an account without one still has the card center's default password, derived from
 * the holder's national ID number in either of two forms the manual gives: the last 6 digits
 * (a final X entered as 0), or the last 7 digits without the final one.
 */
final class CardPassword {
    private CardPassword() {
    }

    static boolean matches(String pinVerifier, String nationalId, String password) {
        if (password == null || password.isEmpty()) {
            return false;
        }
        if (pinVerifier != null && !pinVerifier.isEmpty() && pinVerifier.startsWith("pbkdf2-sha256$")) {
            return PinVerifier.matches(pinVerifier, password);
        }
        return nationalId != null && isDefault(nationalId, password);
    }

    static boolean isDefault(String nationalId, String password) {
        String id = nationalId.trim().toUpperCase(java.util.Locale.ROOT);
        if (id.length() < 8) {
            return false;
        }
        String lastSix = id.substring(id.length() - 6).replace('X', '0');
        String sevenBeforeLast = id.substring(id.length() - 8, id.length() - 1);
        return constantTimeEquals(lastSix, password) | constantTimeEquals(sevenBeforeLast, password);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
