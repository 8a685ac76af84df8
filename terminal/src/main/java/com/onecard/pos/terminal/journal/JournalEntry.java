package com.onecard.pos.terminal.journal;

import java.util.HexFormat;

/**
 * One journal row as the sale flow sees it. The {@link Journal} port turns it into the stored
 * and uploaded row (protobuf) and seals it into the MAC chain; a draft has {@code seq} 0.
 *
 * @param seq         journal sequence, 0 in a draft
 * @param cardUid     the card's UID, empty for a QR sale
 * @param amountFen   total debited (a reversal carries the amount given back), fen
 * @param subsidyFen  part taken from the subsidy purse, fen
 * @param cashFen     part taken from the cash purse, fen
 * @param reversesSeq the sale a reversal undoes, else 0
 * @param qrToken     the terminal's QR token of a QR sale, the scanned payment code of a payment-code sale, else ""
 * @param mealPeriod  meal period name at the time of the row, "" outside periods
 */
public record JournalEntry(long seq, Kind kind, String saleId, long timeMs, byte[] cardUid, long accountId,
                           long amountFen, long subsidyFen, long cashFen, Mode mode, long reversesSeq,
                           String qrToken, String mealPeriod) {

    public enum Kind {
        /** A card sale decided by this terminal. */
        SALE,
        /** A compensating row for an earlier sale of this terminal. */
        REVERSAL,
        /** A scan-to-pay sale already settled at the center. */
        QR_SALE,
        /** A blacklisted card was tapped; amount 0. */
        LOST_CARD_SIGHTING,
        /** A sale paid by the student's payment code, decided offline here; qrToken holds the code. */
        PAYCODE_SALE,
        /** A row kind this firmware does not know (written by a newer one); it carries no money here. */
        OTHER
    }

    /** Who authorized the row. */
    public enum Mode { ONLINE, OFFLINE }

    public JournalEntry {
        cardUid = cardUid == null ? new byte[0] : cardUid.clone();
        qrToken = qrToken == null ? "" : qrToken;
        mealPeriod = mealPeriod == null ? "" : mealPeriod;
    }

    /** An approved card sale. */
    public static JournalEntry sale(String saleId, long timeMs, byte[] uid, long accountId, long amountFen,
                                    long subsidyFen, long cashFen, Mode mode, String mealPeriod) {
        return new JournalEntry(0, Kind.SALE, saleId, timeMs, uid, accountId, amountFen, subsidyFen, cashFen, mode, 0,
                "", mealPeriod);
    }

    /** A QR sale the center reports paid (always online, taken from the cash purse at the center). */
    public static JournalEntry qrSale(String saleId, long timeMs, long accountId, long amountFen, String token,
                                      String mealPeriod) {
        return new JournalEntry(0, Kind.QR_SALE, saleId, timeMs, new byte[0], accountId, amountFen, 0, amountFen,
                Mode.ONLINE, 0, token, mealPeriod);
    }

    /** A sale paid by a payment code this terminal verified (decided offline, purses split as for a card). */
    public static JournalEntry paycodeSale(String saleId, long timeMs, long accountId, long amountFen, long subsidyFen,
                                           long cashFen, String code, String mealPeriod) {
        return new JournalEntry(0, Kind.PAYCODE_SALE, saleId, timeMs, new byte[0], accountId, amountFen, subsidyFen,
                cashFen, Mode.OFFLINE, 0, code, mealPeriod);
    }

    /** A blacklisted card tapped at this terminal. */
    public static JournalEntry sighting(String saleId, long timeMs, byte[] uid, long accountId) {
        return new JournalEntry(0, Kind.LOST_CARD_SIGHTING, saleId, timeMs, uid, accountId, 0, 0, 0, Mode.OFFLINE, 0,
                "", "");
    }

    /** The reversal of this stored sale: same amounts and purses, {@code saleId-R}. */
    public JournalEntry reversal(long timeMs, Mode mode) {
        return new JournalEntry(0, Kind.REVERSAL, saleId + "-R", timeMs, cardUid, accountId, amountFen, subsidyFen,
                cashFen, mode, seq, qrToken, mealPeriod);
    }

    /**
     * {@code reversesSeq} of a reversal that undoes the entry just before it in the same
     * {@link Journal.Commit}, whose sequence is assigned at commit.
     */
    public static final long REVERSES_PREVIOUS = -1;

    /** The reversal of this draft, committed right after it in the same commit (a QR payment refunded at once). */
    public JournalEntry refundInSameCommit() {
        return new JournalEntry(0, Kind.REVERSAL, saleId + "-R", timeMs, cardUid, accountId, amountFen, subsidyFen,
                cashFen, mode, REVERSES_PREVIOUS, qrToken, mealPeriod);
    }

    @Override
    public byte[] cardUid() {
        return cardUid.clone();
    }

    public String uidHex() {
        return HexFormat.of().withUpperCase().formatHex(cardUid);
    }
}
