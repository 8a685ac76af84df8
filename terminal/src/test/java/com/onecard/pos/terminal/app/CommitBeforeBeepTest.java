package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.gpio.Feedback;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.journal.Journal;
import com.onecard.pos.terminal.journal.JournalEntry;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beep never comes before the commit. The order of the sale's effects is recorded as they
 * happen (journal commit, buzzer, the cashier's await answered), and at the beep the row must
 * already be readable from another connection, which sees committed data only.
 */
class CommitBeforeBeepTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");

    @TempDir
    Path dir;

    final List<String> effects = new CopyOnWriteArrayList<>();

    @Test
    void approvedSale_commitThenBeepThenAnswer() throws Exception {
        run(1200, "APPROVED");
        assertThat(effects).containsExactly("commit SALE", "journal has seq 1 at the beep", "beep approved", "answered APPROVED");
    }

    @Test
    void declinedLostCard_sightingCommittedBeforeTheBeep() throws Exception {
        run(-1, "DECLINED");
        assertThat(effects).containsExactly("commit LOST_CARD_SIGHTING", "journal has seq 1 at the beep", "beep declined",
                "answered DECLINED");
    }

    private void run(long amount, String outcome) throws Exception {
        Path db = dir.resolve("terminal.db");
        TerminalConfig cfg = TestConfigs.config(dir, "pricing.periods", "");
        try (Store store = Store.open(db, SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(7).setCardUid(ByteString.copyFrom(UID))
                    .setCardSerial(1).setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setCashFen(10_000).setVersion(1).build(), 1);
            if (amount < 0) {
                store.accounts().applyBlacklist(com.onecard.pos.sync.proto.BlacklistEntry.newBuilder()
                        .setCardUid(ByteString.copyFrom(UID)).setAccountId(7).setListed(true).build(), 1);
            }
            Feedback buzzer = new Feedback() {
                @Override
                public void approved() {
                    effects.add(committedRows(db));
                    effects.add("beep approved");
                }

                @Override
                public void declined() {
                    effects.add(committedRows(db));
                    effects.add("beep declined");
                }

                @Override
                public void error() {
                    effects.add("beep error");
                }

                @Override
                public void test() {
                    effects.add("feedback test");
                }

                @Override
                public String describe() {
                    return "recording";
                }
            };
            SaleOutcomes outcomes = new SaleOutcomes();
            var screens = new Screens(new Display(s -> { }), store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
            var effectsOut = new SaleEffects(buzzer, screens, null, outcomes, () -> null);
            Journal recording = new RecordingJournal(store.journal());
            SaleFlow flow = new SaleFlow(cfg, store, recording, null, null, new QrIssuer(cfg.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)), effectsOut, loop,
                    Clock.systemDefaultZone());
            String saleId = loop.call(() -> flow.begin(Math.abs(amount), null)).get();
            outcomes.of(saleId).thenAccept(o -> effects.add("answered " + (o.approved() ? "APPROVED" : "DECLINED")));
            loop.call(() -> {
                flow.onTap(new CardTap(UID, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], Clock.systemDefaultZone().instant()));
                return null;
            }).get();
            assertThat(outcomes.of(saleId).get().approved()).isEqualTo(outcome.equals("APPROVED"));
        }
    }

    /** What another connection sees: only committed rows. */
    private static String committedRows(Path db) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq),0) FROM journal")) {
            return "journal has seq " + rs.getLong(1) + " at the beep";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class RecordingJournal implements Journal {
        private final Journal real;

        RecordingJournal(Journal real) {
            this.real = real;
        }

        @Override
        public List<JournalEntry> commit(Commit c) {
            List<JournalEntry> stored = real.commit(c);
            if (!stored.isEmpty()) {
                effects.add("commit " + String.join(",", stored.stream().map(e -> e.kind().name()).toList()));
            }
            return stored;
        }

        @Override
        public List<JournalEntry> recent(int n) {
            return real.recent(n);
        }

        @Override
        public boolean qrTokenJournaled(String token) {
            return real.qrTokenJournaled(token);
        }

        @Override
        public long saleNumbersReserved() {
            return real.saleNumbersReserved();
        }
    }
}
