package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.journal.Journal;
import com.onecard.pos.terminal.journal.JournalEntry;

import java.util.ArrayList;
import java.util.List;

/** The {@link Journal} port on the SQLite store: entries become sealed protobuf rows, one transaction per decision. */
final class StoreJournal implements Journal {
    static final String SALE_NUMBERS_KEY = "sale_counter";

    private final Store store;
    private final Db db;

    StoreJournal(Store store, Db db) {
        this.store = store;
        this.db = db;
    }

    @Override
    public List<JournalEntry> commit(Commit c) {
        List<JournalRow> rows = new ArrayList<>(c.entries().size());
        for (JournalEntry e : c.entries()) {
            JournalRow r = toRow(e);
            if (e.reversesSeq() == JournalEntry.REVERSES_PREVIOUS) {
                if (rows.isEmpty()) {
                    throw new IllegalArgumentException("sale " + e.saleId() + ": a refund in the same commit needs the sale before it");
                }
                // rows get lastSeq+1, lastSeq+2, ... in order: the previous one is lastSeq + its position + 1
                r = r.toBuilder().setReversesSeq(store.lastSeq() + rows.size()).build();
            }
            rows.add(r);
        }
        long firstSeq = store.lastSeq() + 1;
        List<JournalRow> stored = store.appendAll(rows, () -> {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).getKind() == RowKind.PAYCODE_SALE) {
                    store.paycodes().markSeen(paycode(rows.get(i)), firstSeq + i);
                }
            }
            var d = c.decline();
            if (d != null) {
                store.insertDecline(d.timeMs(), d.saleId(), d.cardUid(), d.accountId(), d.amountFen(), d.reason(), d.mealPeriod());
            }
            var p = c.pinTries();
            if (p != null) {
                store.accounts().putPinFailures(p.accountId(), p.failures(), p.timeMs());
            }
            if (c.saleNumbersUpTo() > 0) {
                store.putMeta(SALE_NUMBERS_KEY, Long.toString(c.saleNumbersUpTo()));
            }
        });
        List<JournalEntry> out = new ArrayList<>(stored.size());
        for (JournalRow r : stored) {
            out.add(toEntry(r));
        }
        return out;
    }

    /** The code a PAYCODE_SALE row carries (the sale flow verified it before building the row). */
    private static com.onecard.pos.paycode.Paycode paycode(JournalRow r) {
        try {
            return com.onecard.pos.paycode.Paycode.parse(r.getQrToken());
        } catch (com.onecard.pos.paycode.PaycodeFormatException e) {
            throw new IllegalArgumentException("sale " + r.getSaleId() + ": a payment-code row carries no payment code: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<JournalEntry> recent(int n) {
        List<JournalEntry> out = new ArrayList<>();
        for (JournalRow r : store.tail(n)) {
            out.add(toEntry(r));
        }
        return out;
    }

    @Override
    public boolean qrTokenJournaled(String token) {
        return store.qrTokenJournaled(token);
    }

    @Override
    public long saleNumbersReserved() {
        return Long.parseLong(store.meta(SALE_NUMBERS_KEY).orElse("0"));
    }

    static JournalRow toRow(JournalEntry e) {
        return JournalRow.newBuilder().setKind(kind(e.kind())).setSaleId(e.saleId()).setTimeMs(e.timeMs())
                .setCardUid(ByteString.copyFrom(e.cardUid())).setAccountId(e.accountId()).setAmountFen(e.amountFen())
                .setSubsidyFen(e.subsidyFen()).setCashFen(e.cashFen())
                .setMode(e.mode() == JournalEntry.Mode.ONLINE ? AuthMode.ONLINE : AuthMode.OFFLINE)
                .setReversesSeq(e.reversesSeq()).setQrToken(e.qrToken()).setMealPeriod(e.mealPeriod()).build();
    }

    static JournalEntry toEntry(JournalRow r) {
        return new JournalEntry(r.getSeq(), kind(r.getKind()), r.getSaleId(), r.getTimeMs(), r.getCardUid().toByteArray(),
                r.getAccountId(), r.getAmountFen(), r.getSubsidyFen(), r.getCashFen(),
                r.getMode() == AuthMode.ONLINE ? JournalEntry.Mode.ONLINE : JournalEntry.Mode.OFFLINE,
                r.getReversesSeq(), r.getQrToken(), r.getMealPeriod());
    }

    private static RowKind kind(JournalEntry.Kind k) {
        return switch (k) {
            case SALE -> RowKind.SALE;
            case REVERSAL -> RowKind.REVERSAL;
            case QR_SALE -> RowKind.QR_SALE;
            case LOST_CARD_SIGHTING -> RowKind.LOST_CARD_SIGHTING;
            case PAYCODE_SALE -> RowKind.PAYCODE_SALE;
            case OTHER -> throw new IllegalArgumentException("a row of kind OTHER cannot be journaled");
        };
    }

    private static JournalEntry.Kind kind(RowKind k) {
        return switch (k) {
            case SALE -> JournalEntry.Kind.SALE;
            case REVERSAL -> JournalEntry.Kind.REVERSAL;
            case QR_SALE -> JournalEntry.Kind.QR_SALE;
            case LOST_CARD_SIGHTING -> JournalEntry.Kind.LOST_CARD_SIGHTING;
            case PAYCODE_SALE -> JournalEntry.Kind.PAYCODE_SALE;
            default -> JournalEntry.Kind.OTHER;
        };
    }
}
