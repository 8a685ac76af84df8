package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.ConfigChange;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.ScreenMessage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Messages: to a card holder in the app (notices, sightings, found cards), and to terminals
 * on the append-only "messages" and "config" streams.
 */
public final class Messages {
    /** One message to the account's owner. */
    public record Message(long id, String text, long timeMs) {
    }

    private final UnitOfWork uow;
    private final Clock clock;

    public Messages(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /** A message for the account's owner in the app (not a terminal screen message). */
    public void addMessage(long accountId, String text) {
        uow.run("writing a message to " + accountId, tx -> {
            insert(tx, accountId, text, clock.millis());
            return null;
        });
    }

    /** The owner's messages, oldest first. */
    public List<String> messages(long accountId) {
        return uow.read("reading messages of " + accountId, tx -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT text FROM messages WHERE account_id = ? ORDER BY id")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** The owner's messages (notices, sightings, found cards), newest first. */
    public List<Message> messagesNewestFirst(long accountId) {
        return uow.read("reading messages of " + accountId, tx -> {
            List<Message> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT id, text, time_ms FROM messages WHERE account_id = ? ORDER BY time_ms DESC, id DESC")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Message(r.getLong(1), r.getString(2), r.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * A finder registers a card; its owner gets a message. Returns the owner's account, empty
     * when no account holds the card.
     */
    public OptionalLong registerFoundCard(byte[] cardUid, String finder, String place) {
        return uow.run("registering a found card", tx -> {
            Long owner = AccountRow.accountOfCard(tx, cardUid);
            if (owner == null) {
                return OptionalLong.empty();
            }
            long now = clock.millis();
            try (PreparedStatement p = tx.c().prepareStatement(
                    "INSERT INTO found_cards(card_uid, account_id, finder, place, time_ms) VALUES (?, ?, ?, ?, ?)")) {
                p.setBytes(1, cardUid);
                p.setLong(2, owner);
                p.setString(3, finder);
                p.setString(4, place);
                p.setLong(5, now);
                p.executeUpdate();
            }
            insert(tx, owner, "your card was found at " + place + " by " + finder + ", " + Instant.ofEpochMilli(now), now);
            return OptionalLong.of(owner);
        });
    }

    /** A screen message for every terminal (or one, when {@code terminalId} is not null). */
    public void publishScreenMessage(String terminalId, String text, long untilMs) {
        uow.run("publishing a screen message", tx -> {
            tx.append(Streams.MESSAGES, terminalId, Downstream.newBuilder()
                    .setMessage(ScreenMessage.newBuilder().setText(text).setUntilMs(untilMs)));
            return null;
        });
    }

    /**
     * Sends one configuration key to a terminal (the "config" stream). The terminal validates it
     * like {@code posctl config set}: applied at once where safe, else at its next restart, and
     * refused (logged) when invalid.
     */
    public void pushConfig(String terminalId, String key, String value) {
        uow.run("sending config " + key + " to " + terminalId, tx -> {
            tx.append(Streams.CONFIG, terminalId, Downstream.newBuilder()
                    .setConfig(ConfigChange.newBuilder().setKey(key).setValue(value)));
            return null;
        });
    }

    static void insert(Tx tx, long accountId, String text, long timeMs) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement(
                "INSERT INTO messages(account_id, text, time_ms) VALUES (?, ?, ?)")) {
            p.setLong(1, accountId);
            p.setString(2, text);
            p.setLong(3, timeMs);
            p.executeUpdate();
        }
    }

    static String sightingText(String terminalId, long timeMs) {
        return "your card was seen at " + terminalId + ", " + Instant.ofEpochMilli(timeMs);
    }
}
