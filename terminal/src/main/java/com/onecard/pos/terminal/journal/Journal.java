package com.onecard.pos.terminal.journal;

import java.util.List;

/**
 * The journal as the sale flow uses it: it builds the stored rows from {@link JournalEntry}s,
 * seals them into the MAC chain and commits each decision in one transaction. Terminal thread
 * only (it writes).
 */
public interface Journal {
    /**
     * Commits everything one decision writes, in one SQLite transaction with fsync: its rows
     * (sequence assigned, sealed into the MAC chain), a decline record, the card-password tries
     * and the sale numbers reserved. On failure nothing of it is written and the store's
     * unchecked {@code StoreException} (with its kind: disk full, read-only, I/O) is thrown.
     *
     * @return the rows as stored, in the order given
     */
    List<JournalEntry> commit(Commit commit);

    /** The last {@code n} rows, newest last. */
    List<JournalEntry> recent(int n);

    /** True when a QR sale with this payment-code token is journaled already. */
    boolean qrTokenJournaled(String token);

    /** The highest sale number reserved so far (0 on a new terminal); sale ids above it are unused. */
    long saleNumbersReserved();

    /**
     * One decision's writes.
     *
     * @param entries         rows to append, in order (may be empty: a decline without a sighting)
     * @param decline         the decline to record, or null
     * @param pinTries        the card-password tries to set, or null
     * @param saleNumbersUpTo sale numbers reserved up to this one, or 0 to leave the reservation alone
     */
    record Commit(List<JournalEntry> entries, Decline decline, PinTries pinTries, long saleNumbersUpTo) {
        public Commit {
            entries = List.copyOf(entries);
        }

        public static Commit of(JournalEntry... entries) {
            return new Commit(List.of(entries), null, null, 0);
        }

        public Commit withDecline(Decline d) {
            return new Commit(entries, d, pinTries, saleNumbersUpTo);
        }

        public Commit withPinTries(PinTries p) {
            return new Commit(entries, decline, p, saleNumbersUpTo);
        }

        public Commit withSaleNumbersUpTo(long n) {
            return new Commit(entries, decline, pinTries, n);
        }
    }

    /** A refused sale as recorded for reports (not a journal row: nothing was charged). */
    record Decline(long timeMs, String saleId, byte[] cardUid, long accountId, long amountFen, String reason,
                   String mealPeriod) {
        public Decline {
            cardUid = cardUid == null ? new byte[0] : cardUid.clone();
            mealPeriod = mealPeriod == null ? "" : mealPeriod;
        }
    }

    /** Consecutive wrong card passwords of an account, as of {@code timeMs}. */
    record PinTries(long accountId, int failures, long timeMs) {
    }
}
