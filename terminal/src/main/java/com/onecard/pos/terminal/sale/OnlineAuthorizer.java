package com.onecard.pos.terminal.sale;

import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.store.Purses;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks the center; implemented over the sync client, which maps these to and from the wire. */
public interface OnlineAuthorizer {
    /** True when a session with the center is up, so asking is worth the deadline. */
    boolean connected();

    /** Completes with the center's answer, or exceptionally at the deadline or when not connected. */
    CompletableFuture<Answer> authorize(Request request, Duration deadline);

    /** The center approved {@code saleId} but this terminal will not complete it: release the center's hold. */
    default void release(String saleId) {
    }

    /**
     * What the center is asked: this card, this account, this amount (fen), now (epoch ms), and the
     * card password typed for the sale when one was asked (null otherwise), which only the center
     * can check.
     */
    record Request(String saleId, byte[] cardUid, long accountId, long amountFen, long timeMs, String pin) {
        public Request {
            cardUid = cardUid.clone();
        }

        public Request(String saleId, byte[] cardUid, long accountId, long amountFen, long timeMs) {
            this(saleId, cardUid, accountId, amountFen, timeMs, null);
        }

        @Override
        public String toString() {
            return "Request[" + saleId + ", " + amountFen + " fen" + (pin == null ? "" : ", card password given") + "]";
        }
    }

    /**
     * The center's answer.
     *
     * @param reason       why it declined (null when approved)
     * @param centerPurses the authoritative purses before this sale
     * @param appliedSeq   this terminal's journal rows up to here are in {@code centerPurses}
     */
    record Answer(boolean approved, DeclineReason reason, Purses centerPurses, long appliedSeq) {
    }
}
