package com.onecard.pos.bench;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.Center;
import com.onecard.pos.sync.journal.JournalMac;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.store.JournalRows;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.store.ChainPoint;
import com.onecard.pos.terminal.store.Store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A year of sales at one window, put into a terminal's store in one transaction (a valid MAC
 * chain, as the daemon would have written it one fsync at a time) and, when a center is given,
 * ingested there too, so the center's watermark and balances agree with the terminal and nothing
 * is uploaded again. The rows: card sales spread over the last 365 days between 06:30 and 20:00
 * (the last 1% this morning), online and offline, over the given accounts; every 100th sale is
 * reversed at once, every 500th row a lost-card sighting. All acknowledged, checkpoint at the head,
 * as on a terminal that has been running all year.
 */
final class YearOfSales {

    record Account(long id, byte[] uid) {
    }

    private YearOfSales() {
    }

    /** Seeds {@code rows} acknowledged rows; returns the seconds it took (reported beside the figures, not timed as one). */
    static double seed(Path storeFile, byte[] secret, String terminalId, List<Account> accounts, int rows, Center center,
                       Clock clock) throws SQLException {
        return seed(storeFile, secret, terminalId, accounts, rows, center, clock, true);
    }

    /**
     * @param acknowledged false: the rows are a backlog the center has not seen (give no center then)
     */
    static double seed(Path storeFile, byte[] secret, String terminalId, List<Account> accounts, int rows, Center center,
                       Clock clock, boolean acknowledged) throws SQLException {
        long t0 = System.nanoTime();
        try (Store s = Store.open(storeFile, secret)) {
            if (s.lastSeq() != 0) {
                throw new IllegalStateException("store " + storeFile + " is not empty");
            }
        }
        if (rows == 0) {
            return 0;
        }
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        long now = clock.millis();
        Random r = new Random(2026);
        JournalMac mac = new JournalMac(secret);
        byte[] prev = JournalMac.genesis();
        List<JournalRow> batch = new ArrayList<>();
        JournalRow last = null;
        JournalRow lastSale = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile.toAbsolutePath())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(JournalRows.INSERT)) {
                int todayFrom = rows - rows / 100;
                for (int i = 1; i <= rows; i++) {
                    long time;
                    if (i > todayFrom) {
                        long start = today.atTime(LocalTime.of(6, 30)).atZone(zone).toInstant().toEpochMilli();
                        time = Math.min(now - 60_000, start + (long) (i - todayFrom) * Math.max(1, (now - 60_000 - start) / (rows - todayFrom + 1)));
                    } else {
                        LocalDate day = today.minusDays(365 - (long) i * 365 / todayFrom);
                        time = day.atTime(LocalTime.of(6, 30)).plusSeconds(r.nextInt(13 * 3600 + 1800)).atZone(zone).toInstant().toEpochMilli();
                    }
                    JournalRow.Builder b;
                    if (i % 100 == 0 && lastSale != null && last == lastSale) {
                        b = JournalRow.newBuilder().setKind(RowKind.REVERSAL).setSaleId(lastSale.getSaleId() + "-R")
                                .setTimeMs(lastSale.getTimeMs() + 20_000).setCardUid(lastSale.getCardUid())
                                .setAccountId(lastSale.getAccountId()).setAmountFen(lastSale.getAmountFen())
                                .setSubsidyFen(lastSale.getSubsidyFen()).setCashFen(lastSale.getCashFen())
                                .setMode(AuthMode.OFFLINE).setReversesSeq(lastSale.getSeq()).setMealPeriod(lastSale.getMealPeriod());
                    } else {
                        Account a = accounts.get(r.nextInt(accounts.size()));
                        b = JournalRow.newBuilder().setSaleId(terminalId + "-h" + i).setTimeMs(time)
                                .setCardUid(ByteString.copyFrom(a.uid())).setAccountId(a.id());
                        if (i % 500 == 11) {
                            b.setKind(RowKind.LOST_CARD_SIGHTING).setMode(AuthMode.OFFLINE);
                        } else {
                            long amount = 300 + r.nextInt(23) * 100L;
                            long subsidy = r.nextInt(4) == 0 ? Math.min(amount, 500) : 0;
                            b.setKind(RowKind.SALE).setAmountFen(amount).setSubsidyFen(subsidy).setCashFen(amount - subsidy)
                                    .setMode(r.nextInt(10) == 0 ? AuthMode.OFFLINE : AuthMode.ONLINE)
                                    .setMealPeriod(period(time, zone));
                        }
                    }
                    JournalRow row = mac.seal(prev, b.setSeq(i).build());
                    JournalRows.bind(ps, row);
                    ps.addBatch();
                    if (i % 5000 == 0) {
                        ps.executeBatch();
                    }
                    prev = row.getMac().toByteArray();
                    if (row.getKind() == RowKind.SALE) {
                        lastSale = row;
                    }
                    last = row;
                    if (center != null) {
                        batch.add(row);
                        if (batch.size() == 2000) {
                            ingest(center, terminalId, batch);
                        }
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
                ps.setString(1, "acked_seq");
                ps.setString(2, Integer.toString(acknowledged ? rows : 0));
                ps.executeUpdate();
                ps.setString(1, "sale_counter");
                ps.setString(2, Integer.toString(rows + 1000));
                ps.executeUpdate();
            }
            if (acknowledged) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO acks(seq,time_ms) VALUES(?,?)")) {
                    ps.setLong(1, rows);
                    ps.setLong(2, now - 60_000);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        if (center != null && !batch.isEmpty()) {
            ingest(center, terminalId, batch);
        }
        try (Store s = Store.open(storeFile, secret)) {
            s.saveCheckpoint(new ChainPoint(rows, prev));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void ingest(Center center, String terminalId, List<JournalRow> batch) {
        var result = center.ledger().ingest().ingest(terminalId, batch);
        if (result.appliedSeq() < batch.get(batch.size() - 1).getSeq()) {
            throw new IllegalStateException("the center refused the seeded year at seq " + batch.get(0).getSeq() + ": " + result);
        }
        batch.clear();
    }

    private static String period(long timeMs, ZoneId zone) {
        int h = java.time.Instant.ofEpochMilli(timeMs).atZone(zone).getHour();
        return h < 10 ? "breakfast" : h < 15 ? "lunch" : "dinner";
    }
}
