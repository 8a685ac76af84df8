package com.onecard.pos.terminal.store;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.BlacklistEntry;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.pin.PinVerifier;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.OnlineAuthorizer;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.QrPaid;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.sale.SaleOutcome;
import com.onecard.pos.terminal.sale.SaleSignals;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement a tap prepares, in every branch of the sale (approved offline and online, PIN
 * asked and wrong, unknown and lost cards, meal limit, a QR notice), is an index lookup:
 * {@code EXPLAIN QUERY PLAN} shows no SCAN of any table. The statements are recorded from the
 * store's own connection while the real sale flow runs, so a query added later is checked too.
 */
class TapQueryPlanTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");
    static final byte[] LOST_UID = HexFormat.of().parseHex("0BADCAFE");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZONE); // 12:00 local, lunch
    final List<SaleOutcome> outcomes = new ArrayList<>();

    @Test
    void everyStatementOfATapIsAnIndexLookup() throws Exception {
        Set<String> sql = new LinkedHashSet<>();
        try (Store store = Store.open(dir.resolve("t.db"), SECRET)) {
            seed(store);
            store.onPrepare(sql::add);
            runEveryKindOfTap(store);
            store.onPrepare(s -> { });
        }
        assertThat(outcomes).extracting(SaleOutcome::reason).contains(null, DeclineReason.UNKNOWN_CARD, DeclineReason.LOST,
                DeclineReason.PIN_WRONG, DeclineReason.MEAL_LIMIT);
        assertThat(sql).as("statements recorded on the tap path").anyMatch(s -> s.contains("FROM journal"));
        List<String> problems = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            for (String s : sql) {
                if (s.startsWith("PRAGMA")) {
                    continue;
                }
                List<String> plan = new ArrayList<>();
                try (var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + s); var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString("detail"));
                    }
                }
                for (String line : plan) {
                    if (line.startsWith("SCAN ") && !line.equals("SCAN CONSTANT ROW")) {
                        problems.add(line + "   in   " + s);
                    }
                }
            }
        }
        assertThat(problems).as("table scans on the tap path").isEmpty();
    }

    @Test
    void theCardsDayIsReadByAccountAndTimeNotByItsWholeHistory() throws Exception {
        try (Store store = Store.open(dir.resolve("t.db"), SECRET);
             var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            List<String> seen = new ArrayList<>();
            store.onPrepare(seen::add);
            store.cardDay(7, 0, 1, 0, 1);
            String cardDay = seen.get(0);
            StringBuilder plan = new StringBuilder();
            try (var rs = c.prepareStatement("EXPLAIN QUERY PLAN " + cardDay).executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
            assertThat(plan.toString()).contains("USING INDEX journal_account_time (account_id=? AND time_ms>? AND time_ms<?)")
                    .contains("USING INDEX journal_reverses (reverses_seq=?)");
        }
    }

    private void seed(Store store) {
        store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(7).setCardUid(ByteString.copyFrom(UID))
                .setCardSerial(1).setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setSubsidyFen(300).setCashFen(200_000)
                .setPinVerifier(PinVerifier.create("123456", new SecureRandom())).setVersion(1).build(), 1);
        store.accounts().applyBlacklist(BlacklistEntry.newBuilder().setCardUid(ByteString.copyFrom(LOST_UID)).setAccountId(9)
                .setListed(true).build(), 1);
        long day = clock.millis() - Duration.ofDays(1).toMillis();
        for (int i = 0; i < 50; i++) {
            var sale = store.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-old" + i).setTimeMs(day + i)
                    .setCardUid(ByteString.copyFrom(UID)).setAccountId(100 + i % 5).setAmountFen(100).setCashFen(100)
                    .setMode(AuthMode.OFFLINE).build());
            if (i % 10 == 0) {
                store.append(sale.toBuilder().clearMac().clearPrevMac().setSeq(0).setKind(RowKind.REVERSAL)
                        .setReversesSeq(sale.getSeq()).setSaleId(sale.getSaleId() + "-R").build());
            }
        }
        store.recordDecline(day, "T01-d", UID, 7, 100, "INSUFFICIENT_FUNDS", "lunch");
    }

    private void runEveryKindOfTap(Store store) {
        TerminalConfig offline = TestConfigs.config(dir, "pricing.periods", "lunch 11:00-13:00 0 2",
                "auth.pin.sale-threshold-fen", "5000", "auth.pin.daily-threshold-fen", "100000");
        // connected: a QR sale needs the center; offline-only authorization never asks it about cards; it checks
        // card passwords for the online window below
        var center = new OnlineAuthorizer() {
            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public CompletableFuture<Answer> authorize(Request r, Duration deadline) {
                if ("000000".equals(r.pin())) {
                    return CompletableFuture.completedFuture(new Answer(false,
                            com.onecard.pos.terminal.auth.DeclineReason.PIN_WRONG, new Purses(0, 100_000), 0));
                }
                return CompletableFuture.completedFuture(new Answer(true, null, new Purses(0, 100_000), 0));
            }
        };
        SaleFlow f = new SaleFlow(offline, store, center, null, new QrIssuer(offline.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals(), Runnable::run, clock);
        f.begin(1200, null);
        f.onTap(tap(UID));                   // approved offline, below the PIN threshold
        f.begin(6000, null);
        f.onTap(tap(UID));                   // above the PIN threshold offline: declined, the center alone checks passwords
        f.begin(100, null);
        f.onTap(tap(new byte[]{1, 2, 3, 4})); // unknown card
        f.begin(100, null);
        f.onTap(tap(LOST_UID));              // lost card: sighting journaled
        f.begin(1200, null);
        f.onTap(tap(UID));                   // second meal of the period
        f.begin(1200, null);
        f.onTap(tap(UID));                   // third: meal limit
        f.reverseLast();
        String qr = f.beginQr(800);
        f.onQrPaid(new QrPaid("token-1", qr, 7, "Li Lei", 800, 1000));

        TerminalConfig online = TestConfigs.config(dir, "auth.mode", "prefer-online", "pricing.periods", "lunch 11:00-13:00 0 9",
                "auth.pin.sale-threshold-fen", "5000");
        SaleFlow g = new SaleFlow(online, store, center, null, new QrIssuer(online.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), signals(), Runnable::run, clock);
        g.begin(500, null);
        g.onTap(tap(UID));                   // approved online
        g.begin(6000, null);
        g.onTap(tap(UID));                   // PIN asked
        g.enterPin("000000");                // wrong PIN, as the center answers: counted here
    }

    private CardTap tap(byte[] uid) {
        return new CardTap(uid, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], clock.instant());
    }

    private SaleSignals signals() {
        return new SaleSignals() {
            @Override
            public void waitingForCard(String saleId, long amountFen) {
            }

            @Override
            public void outcome(SaleOutcome o) {
                outcomes.add(o);
            }

            @Override
            public void idle() {
            }

            @Override
            public void pinRequired(String saleId, long amountFen) {
            }

            @Override
            public void showQr(String saleId, long amountFen, String payload, long secondsLeft) {
            }

            @Override
            public void qrClosed(String token, String saleId) {
            }

            @Override
            public void message(String text) {
            }
        };
    }
}
