package com.onecard.pos.center.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The campus unified identity's initial password, as the app's manual states it: the last six
 * digits of the holder's national ID number (a final X may be typed as X or as 0); where no
 * ID number is on file (the manual's "where that fails"), {@code 111111}. It works only until
 * the first change, which the service demands before anything else.
 */
public final class InitialPassword {
    public static final String FALLBACK = "111111";

    private InitialPassword() {
    }

    public static boolean matches(String nationalId, String password) {
        if (password == null) {
            return false;
        }
        if (nationalId == null || nationalId.trim().length() < 6) {
            return same(FALLBACK, password);
        }
        String last6 = nationalId.trim().toUpperCase(Locale.ROOT);
        last6 = last6.substring(last6.length() - 6);
        String typed = password.trim().toUpperCase(Locale.ROOT);
        return same(last6, typed) | same(last6.replace('X', '0'), typed);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
