package com.onecard.pos.center.topup;

/** The provider could not be reached, refused the call, or answered with a bad signature; names which and why. */
public final class ProviderException extends Exception {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
