package com.onecard.pos.terminal.store;

import com.onecard.pos.reader.card.LegacyTicket;
import com.onecard.pos.reader.card.LegacyTickets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The layout-1 card tickets of the account cache, for the reader thread: its own read-only
 * connection (WAL lets it read while the terminal thread writes), one indexed lookup by UID per
 * card presented. A lookup that fails is answered "no ticket": the card then reads as a layout-2
 * card and is refused, never accepted unchecked.
 */
public final class CardTicketReader implements LegacyTickets, AutoCloseable {
    private final Path file;
    private final Connection db;

    public CardTicketReader(Path file) {
        this.file = file;
        try {
            this.db = Db.connect(file);
            try (var st = this.db.createStatement()) {
                st.execute("PRAGMA query_only=1");
            }
        } catch (SQLException e) {
            throw StoreException.wrap("opening card ticket reader on " + file, e);
        }
    }

    @Override
    public synchronized Optional<LegacyTicket> find(byte[] uid) {
        try (PreparedStatement ps = db.prepareStatement("SELECT card_v1_ticket FROM accounts WHERE card_uid=?")) {
            ps.setBytes(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] t = rs.getBytes(1);
                return t == null || t.length != LegacyTicket.BYTES ? Optional.empty() : Optional.of(LegacyTicket.fromBytes(t));
            }
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(CardTicketReader.class).warn("card ticket lookup in {} failed: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }
}
