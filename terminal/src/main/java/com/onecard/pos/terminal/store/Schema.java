package com.onecard.pos.terminal.store;

import java.util.List;

/** Versioned schema migrations; index i takes user_version i to i+1. Never edit a shipped step. */
final class Schema {
    private Schema() {
    }

    static final List<String[]> MIGRATIONS = List.<String[]>of(
            new String[]{
                    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    "CREATE TABLE accounts(account_id INTEGER PRIMARY KEY, card_uid BLOB NOT NULL, card_serial INTEGER NOT NULL,"
                            + " holder TEXT NOT NULL, status INTEGER NOT NULL, subsidy_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL,"
                            + " version INTEGER NOT NULL, applied_seq INTEGER NOT NULL, pin_verifier TEXT NOT NULL, expires_day INTEGER NOT NULL)",
                    "CREATE UNIQUE INDEX accounts_uid ON accounts(card_uid)",
                    "CREATE TABLE blacklist(card_uid BLOB PRIMARY KEY, account_id INTEGER NOT NULL, listed INTEGER NOT NULL,"
                            + " version INTEGER NOT NULL, reason TEXT NOT NULL)",
                    "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, sale_id TEXT NOT NULL, time_ms INTEGER NOT NULL,"
                            + " card_uid BLOB NOT NULL, account_id INTEGER NOT NULL, amount_fen INTEGER NOT NULL, subsidy_fen INTEGER NOT NULL,"
                            + " cash_fen INTEGER NOT NULL, mode INTEGER NOT NULL, reverses_seq INTEGER NOT NULL, qr_token TEXT NOT NULL,"
                            + " meal_period TEXT NOT NULL, prev_mac BLOB NOT NULL, mac BLOB NOT NULL,"
                            + " state INTEGER NOT NULL DEFAULT 0)",
                    "CREATE INDEX journal_account ON journal(account_id, seq)",
                    "CREATE INDEX journal_state ON journal(state, seq)",
                    "CREATE TABLE declines(id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, sale_id TEXT NOT NULL, card_uid BLOB NOT NULL,"
                            + " account_id INTEGER NOT NULL, amount_fen INTEGER NOT NULL, reason TEXT NOT NULL, meal_period TEXT NOT NULL)",
                    "CREATE TABLE cursors(stream TEXT PRIMARY KEY, version INTEGER NOT NULL)",
                    "CREATE TABLE pin_tries(account_id INTEGER PRIMARY KEY, failures INTEGER NOT NULL, last_ms INTEGER NOT NULL)"
            },
            // v2: a QR paid notice may arrive twice (center replays the stream after a restart);
            // finding its token must stay fast on a large journal.
            new String[]{
                    "CREATE INDEX journal_qr_token ON journal(qr_token) WHERE qr_token <> ''"
            },
            // v3: every query of a tap is an index lookup, whatever the journal's length: a card's
            // rows of the day, and whether a sale was reversed. The outbox state column is no longer
            // written (the ack watermark in meta is the outbox), so its index goes. Acknowledgements
            // are kept with their time for retention.
            new String[]{
                    "CREATE INDEX journal_account_time ON journal(account_id, time_ms)",
                    "CREATE INDEX journal_reverses ON journal(reverses_seq) WHERE reverses_seq > 0",
                    "DROP INDEX journal_state",
                    "CREATE INDEX declines_time ON declines(time_ms)",
                    "CREATE TABLE acks(seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL)"
            },
            // v4: who changed what (control socket with the sender's kernel credentials, keypad, center)
            new String[]{
                    "CREATE TABLE audit(id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, source TEXT NOT NULL,"
                            + " uid INTEGER NOT NULL, user TEXT NOT NULL, pid INTEGER NOT NULL, program TEXT NOT NULL,"
                            + " command TEXT NOT NULL, detail TEXT NOT NULL, outcome TEXT NOT NULL)",
                    "CREATE INDEX audit_time ON audit(time_ms)"
            },
            // v5: payment codes (docs/paycode.md): the center's issuer keys and revoked device
            // certificates (the "paycode" stream), and the replay cache, written with the sale's row
            new String[]{
                    "CREATE TABLE paycode_issuers(key_id INTEGER PRIMARY KEY, point BLOB NOT NULL)",
                    "CREATE TABLE paycode_revoked(serial INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
                            + " revoked_at_ms INTEGER NOT NULL, reason TEXT NOT NULL)",
                    "CREATE TABLE paycode_seen(serial INTEGER NOT NULL, time_step INTEGER NOT NULL, counter INTEGER NOT NULL,"
                            + " seq INTEGER NOT NULL, PRIMARY KEY(serial, time_step, counter)) WITHOUT ROWID"
            },
            // v6: the holders' approved photos (the "photos" stream), shown to the cashier with each tap or code
            new String[]{
                    "CREATE TABLE holder_photos(account_id INTEGER PRIMARY KEY, photo_id INTEGER NOT NULL, jpeg BLOB NOT NULL)"
            },
            // v7: the ticket with which a layout-1 card is read and checked (the issuer's master key
            // is no longer on terminals; docs/card-layout.md)
            new String[]{
                    "ALTER TABLE accounts ADD COLUMN card_v1_ticket BLOB NOT NULL DEFAULT x''"
            },
            // v8: card passwords are checked by the center only; a copied store must hold no
            // verifier to crack (docs/card-layout.md, "Card passwords offline")
            new String[]{
                    "UPDATE accounts SET pin_verifier=''"
            });

    static int latest() {
        return MIGRATIONS.size();
    }
}
