package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AuthMode;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.sync.proto.RowKind;
import com.onecard.pos.terminal.control.ControlClient;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's parts on real files and a real control socket, started the way Daemon starts them. */
class RestartIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void aSaleCommittedJustBeforeAPowerCutIsShownAtStart() throws Exception {
        var cfg = TestConfigs.config(dir);
        try (Store s = Store.open(cfg.terminal().dataDir().resolve("terminal.db"), HexFormat.of().parseHex(SECRET))) {
            s.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-41").setTimeMs(System.currentTimeMillis())
                    .setCardUid(ByteString.copyFrom(HexFormat.of().parseHex("901F2AA4"))).setAccountId(7).setAmountFen(1250)
                    .setCashFen(1250).setMode(AuthMode.OFFLINE).build());
        }
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            var last = c.call("status").path("last_sale");
            assertThat(last.path("sale_id").asText()).isEqualTo("T01-41");
            assertThat(last.path("approved").asBoolean()).isTrue();
            assertThat(last.path("amount_fen").asLong()).isEqualTo(1250);
            assertThat(c.call("screen").path("text").asText()).contains("Last sale before restart").contains("T01-41");
        }
    }

    @Test
    void aTamperedJournalStopsTheStartWithTheRowNamed() throws Exception {
        var cfg = TestConfigs.config(dir);
        Path db = cfg.terminal().dataDir().resolve("terminal.db");
        try (Store s = Store.open(db, HexFormat.of().parseHex(SECRET))) {
            for (int i = 0; i < 3; i++) {
                s.append(JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + i).setTimeMs(1000)
                        .setCardUid(ByteString.copyFrom(new byte[4])).setAccountId(7).setAmountFen(100).setCashFen(100)
                        .setMode(AuthMode.OFFLINE).build());
            }
        }
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            conn.createStatement().executeUpdate("UPDATE journal SET amount_fen=1 WHERE seq=2");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { }))
                .hasMessageContaining("journal row 2").hasMessageContaining("will not run on a tampered journal");
    }
}
