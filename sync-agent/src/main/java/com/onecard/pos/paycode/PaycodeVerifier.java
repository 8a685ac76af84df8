package com.onecard.pos.paycode;

import java.security.PublicKey;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;

/**
 * Decides offline whether a scanned payment code is good, from what the card center pushed
 * before: its issuer public keys and its revoked certificate serials. Pure and thread-safe;
 * the replay cache (a code seen before) is the caller's, because it must be durable.
 *
 * <p>Order of checks (the first that fails is the answer): format; issuer key known;
 * certificate signature; certificate not expired; certificate not revoked; code signature by
 * the certified device key; the code's time window. See docs/paycode.md.
 */
public final class PaycodeVerifier {

    /** The outcome of a check; {@link #OK} or the one reason it is refused. */
    public enum Outcome {
        OK,
        /** Not a payment code at all (another barcode). */
        NOT_A_PAYCODE,
        /** Starts like a payment code but its bytes are not the format (truncated, edited length). */
        MALFORMED,
        /** Signed under an issuer key this terminal was never sent. */
        UNKNOWN_ISSUER,
        /** The certificate's signature is not the issuer's (an edited account, serial, expiry or device key). */
        BAD_CERTIFICATE,
        /** The device certificate is past its notAfter. */
        CERTIFICATE_EXPIRED,
        /** The certificate was revoked (the device logged out, its session ended). */
        REVOKED,
        /** The code's signature is not the certified device's (edited step, counter, or forged). */
        BAD_SIGNATURE,
        /** The code's time step starts further ahead than the tolerance (a phone clock far ahead). */
        NOT_YET_VALID,
        /** The code's time step ended longer ago than its lifetime (an old screenshot). */
        EXPIRED
    }

    /**
     * The time window of a code, in center time.
     *
     * @param aheadTolerance how far a step may start after now (a phone whose clock runs ahead)
     * @param lifetime       how long a code stays good after its step ends
     */
    public record Window(Duration aheadTolerance, Duration lifetime) {
        public static final Window DEFAULT = new Window(Duration.ofSeconds(30), Duration.ofSeconds(60));

        public Window {
            if (aheadTolerance.isNegative() || lifetime.isNegative()) {
                throw new IllegalArgumentException("payment code window durations must not be negative");
            }
        }

        /** Until when (center time, epoch ms) a code of this step can be accepted: the replay cache keeps it that long. */
        public long lastGoodMs(long timeStep) {
            return timeStep * Paycode.STEP_MS + Paycode.STEP_MS + lifetime.toMillis();
        }
    }

    /** The verdict: the outcome, the parsed code (null when it did not parse) and a detail for logs (never the code). */
    public record Verdict(Outcome outcome, Paycode code, String detail) {
        public boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    private final Window window;

    public PaycodeVerifier(Window window) {
        this.window = window;
    }

    public Window window() {
        return window;
    }

    /**
     * Checks a scanned text.
     *
     * @param text         what the scanner read
     * @param centerNowMs  now in center time (the terminal's clock plus its measured offset), epoch ms
     * @param issuerKeys   issuer public key by key id, null when unknown
     * @param revoked      true for a revoked certificate serial
     */
    public Verdict verify(String text, long centerNowMs, IntFunction<PublicKey> issuerKeys, LongPredicate revoked) {
        if (!Paycode.looksLikePaycode(text)) {
            return new Verdict(Outcome.NOT_A_PAYCODE, null, "not a payment code (" + (text == null ? 0 : text.length())
                    + " chars)");
        }
        Paycode code;
        try {
            code = Paycode.parse(text);
        } catch (PaycodeFormatException e) {
            return new Verdict(Outcome.MALFORMED, null, e.getMessage());
        }
        return verify(code, centerNowMs, issuerKeys, revoked);
    }

    /** Checks a parsed code; see {@link #verify(String, long, IntFunction, LongPredicate)}. */
    public Verdict verify(Paycode code, long centerNowMs, IntFunction<PublicKey> issuerKeys, LongPredicate revoked) {
        DeviceCertificate cert = code.certificate();
        PublicKey issuer = issuerKeys.apply(cert.issuerKeyId());
        if (issuer == null) {
            return new Verdict(Outcome.UNKNOWN_ISSUER, code, "issuer key " + Integer.toHexString(cert.issuerKeyId())
                    + " unknown here");
        }
        if (!cert.signedBy(issuer)) {
            return new Verdict(Outcome.BAD_CERTIFICATE, code, "certificate " + cert.serial()
                    + " is not signed by issuer key " + Integer.toHexString(cert.issuerKeyId()));
        }
        if (centerNowMs > cert.notAfterMs()) {
            return new Verdict(Outcome.CERTIFICATE_EXPIRED, code, "certificate " + cert.serial() + " expired "
                    + (centerNowMs - cert.notAfterMs()) / 1000 + " s ago");
        }
        if (revoked.test(cert.serial())) {
            return new Verdict(Outcome.REVOKED, code, "certificate " + cert.serial() + " is revoked");
        }
        PublicKey device;
        try {
            device = P256.publicKey(cert.devicePoint());
        } catch (IllegalArgumentException e) {
            return new Verdict(Outcome.BAD_CERTIFICATE, code, "certificate " + cert.serial() + ": " + e.getMessage());
        }
        if (!P256.verify(device, code.signedData(), code.signature())) {
            return new Verdict(Outcome.BAD_SIGNATURE, code, "code signature of certificate " + cert.serial()
                    + " does not verify");
        }
        long start = code.stepStartMs();
        if (start - window.aheadTolerance().toMillis() > centerNowMs) {
            return new Verdict(Outcome.NOT_YET_VALID, code, "code step starts " + (start - centerNowMs) / 1000
                    + " s ahead of the center's time");
        }
        if (centerNowMs > window.lastGoodMs(code.timeStep())) {
            return new Verdict(Outcome.EXPIRED, code, "code expired " + (centerNowMs - window.lastGoodMs(code.timeStep()))
                    / 1000 + " s ago");
        }
        return new Verdict(Outcome.OK, code, "account " + cert.accountId() + " certificate " + cert.serial());
    }
}
