package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.control.ControlClient;
import com.onecard.pos.terminal.journal.HmacJournalSealer;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** posctl journal --date and settle read a day whose rows moved to the archive. */
class ArchivedJournalIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void aDayInTheArchiveIsStillListedAndSettled() throws Exception {
        var cfg = TestConfigs.config(dir);
        ZoneId zone = ZoneId.systemDefault();
        long july = ZonedDateTime.of(2026, 7, 15, 12, 0, 0, 0, zone).toInstant().toEpochMilli();
        try (Store s = Store.open(cfg.terminal().dataDir().resolve("terminal.db"), new HmacJournalSealer(HexFormat.of().parseHex(SECRET)), zone)) {
            for (int i = 0; i < 3; i++) {
                s.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + i).setTimeMs(july + i)
                        .setCardUid(ByteString.copyFrom(new byte[4])).setAccountId(7).setAmountFen(250).setCashFen(250)
                        .setMode(AuthMode.OFFLINE).setMealPeriod("lunch").build());
            }
            s.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-today").setTimeMs(System.currentTimeMillis())
                    .setCardUid(ByteString.copyFrom(new byte[4])).setAccountId(7).setAmountFen(100).setCashFen(100)
                    .setMode(AuthMode.OFFLINE).build());
            s.acknowledge(3, july + 1000);
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
            assertThat(s.archive(s.archivableThrough(System.currentTimeMillis() - 90L * 86_400_000), 500)).isEqualTo(3);
        }
        long from = ZonedDateTime.of(2026, 7, 15, 0, 0, 0, 0, zone).toInstant().toEpochMilli();
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            var rows = c.call(c.request("journal").put("from_ms", from).put("to_ms", from + 86_400_000L).put("limit", 100)).path("rows");
            assertThat(rows).hasSize(3);
            assertThat(rows.get(0).path("sale_id").asText()).isEqualTo("T01-0");
            var day = c.call(c.request("settle").put("date", "2026-07-15"));
            assertThat(day.path("total").path("sales_fen").asLong()).isEqualTo(750);
            assertThat(day.path("consistent").asBoolean()).isTrue();
        }
    }
}
