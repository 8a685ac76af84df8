package com.onecard.pos.center.office;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the card office's page reads from the ledger beside the terminal registry: each
 * terminal's last movement (its last sale as the center has it), and the cards reported lost with
 * where they were seen since. Reads only; every query is served by an index
 * ({@code movements_once} per terminal, {@code movements_by_account} per account).
 */
public final class OfficeViews {
    /** A terminal's newest movement at the center; {@code seq} 0 and {@code timeMs} 0 when it has none. */
    public record LastSale(String terminalId, long seq, String kind, long amountFen, long timeMs) {
    }

    /** Where and when a lost card was presented (a terminal refused it and reported the sighting). */
    public record Sighting(String terminalId, long timeMs) {
    }

    /** An account reported lost: its cards (UIDs in hex) and its newest sightings. */
    public record LostCard(long accountId, String holderName, List<String> cardUids, List<Sighting> sightings) {
    }

    private final UnitOfWork uow;

    public OfficeViews(UnitOfWork uow) {
        this.uow = uow;
    }

    /** The newest movement of each of {@code terminalIds}, in that order. */
    public List<LastSale> lastSales(List<String> terminalIds) {
        return uow.read("reading the terminals' last sales", tx -> {
            List<LastSale> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT seq, kind, subsidy_fen + cash_fen, time_ms FROM movements
                    WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1""")) {
                for (String id : terminalIds) {
                    p.setString(1, id);
                    try (ResultSet r = p.executeQuery()) {
                        out.add(r.next() ? new LastSale(id, r.getLong(1), r.getString(2), r.getLong(3), r.getLong(4))
                                : new LastSale(id, 0, null, 0, 0));
                    }
                }
            }
            return out;
        });
    }

    /** Accounts reported lost (at most {@code limit}, by account), each with up to {@code sightings} newest sightings. */
    public List<LostCard> lostCards(int limit, int sightings) {
        return uow.read("reading lost cards", tx -> {
            List<LostCard> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT account_id, holder_name FROM accounts WHERE status = ? ORDER BY account_id LIMIT ?""")) {
                p.setInt(1, AccountStatus.LOST.getNumber());
                p.setInt(2, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new LostCard(r.getLong(1), r.getString(2), new ArrayList<>(), new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement cards = tx.c().prepareStatement(
                    "SELECT card_uid FROM cards WHERE account_id = ? ORDER BY card_serial");
                 PreparedStatement seen = tx.c().prepareStatement("""
                         SELECT terminal_id, time_ms FROM movements WHERE account_id = ? AND kind = 'SIGHTING'
                         ORDER BY time_ms DESC LIMIT ?""")) {
                for (LostCard l : out) {
                    cards.setLong(1, l.accountId());
                    try (ResultSet r = cards.executeQuery()) {
                        while (r.next()) {
                            l.cardUids().add(HexFormat.of().withUpperCase().formatHex(r.getBytes(1)));
                        }
                    }
                    seen.setLong(1, l.accountId());
                    seen.setInt(2, sightings);
                    try (ResultSet r = seen.executeQuery()) {
                        while (r.next()) {
                            l.sightings().add(new Sighting(r.getString(1), r.getLong(2)));
                        }
                    }
                }
            }
            return out;
        });
    }
}
