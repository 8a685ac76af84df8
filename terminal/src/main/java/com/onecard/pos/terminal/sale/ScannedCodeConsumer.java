package com.onecard.pos.terminal.sale;

/**
 * The sale entry for scanned codes: the daemon hands every code the scanner reads to one
 * consumer, on the terminal thread (so it may read and change sale state and write the store
 * like the sale flow does). The payment code (支付码) verifier is one; the daemon's default
 * shows and logs each code as "not a payment code".
 */
@FunctionalInterface
public interface ScannedCodeConsumer {
    /** Called on the terminal thread, once per scanned code, in scan order. Must not block. */
    void onScannedCode(ScannedCode code);
}
