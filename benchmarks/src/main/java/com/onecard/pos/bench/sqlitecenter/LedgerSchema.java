package com.onecard.pos.bench.sqlitecenter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** DDL of the center's ledger. Purses are fen; a card's uid is its key. */
final class LedgerSchema {
    private LedgerSchema() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS terminals (
                      id TEXT PRIMARY KEY, secret BLOB NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
                      applied_seq INTEGER NOT NULL DEFAULT 0, last_mac BLOB NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS accounts (
                      account_id INTEGER PRIMARY KEY, holder_name TEXT NOT NULL, status INTEGER NOT NULL,
                      subsidy_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL, version INTEGER NOT NULL,
                      pin_verifier TEXT NOT NULL, expires_day INTEGER NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS cards (
                      card_uid BLOB PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(account_id),
                      card_serial INTEGER NOT NULL, v1_ticket BLOB NOT NULL DEFAULT x'')""");
            s.execute("CREATE INDEX IF NOT EXISTS cards_by_account ON cards(account_id)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS movements (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER NOT NULL, kind TEXT NOT NULL,
                      terminal_id TEXT, seq INTEGER, subsidy_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL,
                      channel TEXT, overdraft INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL)""");
            // A second guard besides the watermark: one movement per (terminal, seq), ever.
            s.execute("""
                    CREATE UNIQUE INDEX IF NOT EXISTS movements_once ON movements(terminal_id, seq)
                    WHERE terminal_id IS NOT NULL""");
            s.execute("CREATE INDEX IF NOT EXISTS movements_by_account ON movements(account_id)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS journal (
                      terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, row BLOB NOT NULL,
                      PRIMARY KEY (terminal_id, seq))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS blacklist (
                      card_uid BLOB PRIMARY KEY, account_id INTEGER NOT NULL, listed INTEGER NOT NULL,
                      reason TEXT NOT NULL, version INTEGER NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS messages (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER NOT NULL, text TEXT NOT NULL,
                      time_ms INTEGER NOT NULL)""");
            s.execute("CREATE TABLE IF NOT EXISTS stream_versions (stream TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            // Append-only streams (messages, qr, config); terminal_id NULL = every terminal.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS stream_log (
                      stream TEXT NOT NULL, version INTEGER NOT NULL, terminal_id TEXT, payload BLOB NOT NULL,
                      PRIMARY KEY (stream, version))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS qr_cancels (
                      token TEXT PRIMARY KEY, sale_id TEXT NOT NULL, terminal_id TEXT NOT NULL, time_ms INTEGER NOT NULL)""");
            // One row per payment code the center has seen: created (parsed) -> paid -> refunded.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS qr_tokens (
                      token TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, sale_id TEXT NOT NULL,
                      amount_fen INTEGER NOT NULL, merchant_name TEXT, account_id INTEGER, state TEXT NOT NULL,
                      created_ms INTEGER NOT NULL, paid_ms INTEGER)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS found_cards (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, card_uid BLOB NOT NULL, account_id INTEGER NOT NULL,
                      finder TEXT NOT NULL, place TEXT NOT NULL, time_ms INTEGER NOT NULL)""");
            // Columns added after the first ledgers were written: ALTER only when missing.
            addColumnIfMissing(c, "accounts", "national_id", "TEXT");
            addColumnIfMissing(c, "accounts", "password_failures", "INTEGER NOT NULL DEFAULT 0");
        }
    }

    private static void addColumnIfMissing(Connection c, String table, String column, String type)
            throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (column.equalsIgnoreCase(r.getString("name"))) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
        }
    }
}
