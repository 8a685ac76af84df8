package com.onecard.pos.terminal.token;

/**
 * The key token cannot give the daemon a key it needs. The message names the token, the key
 * and what to do; never a PIN or key material.
 */
public final class TokenException extends Exception {
    /** What went wrong; the daemon's exit status follows from it (see {@link #transientFault()}). */
    public enum Kind {
        /** The PKCS#11 library cannot be loaded. */
        LIBRARY,
        /** No token in the configured slot (not plugged in, not provisioned, wrong SOFTHSM2_CONF). */
        NO_TOKEN,
        /** The PIN file is missing, empty, or readable by others than its owner. */
        PIN_FILE,
        /** The token refused the PIN (retrying could lock it). */
        PIN_REFUSED,
        /** The token has no key under a label the terminal needs. */
        MISSING_KEY,
        /** A key is there but is not the one this terminal's data was made with (check value differs). */
        WRONG_KEY
    }

    private final Kind kind;

    public TokenException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True when starting again may help (a hardware token not yet enumerated after boot); false
     * when someone must fix the provisioning first, and retrying would only repeat the error or,
     * for a PIN, count towards locking the token.
     */
    public boolean transientFault() {
        return kind == Kind.NO_TOKEN;
    }
}
