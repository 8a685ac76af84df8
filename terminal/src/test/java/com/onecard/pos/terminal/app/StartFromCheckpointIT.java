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

/** Start-up verifies the journal from the last checkpoint: its cost is the rows since, not the journal's length. */
class StartFromCheckpointIT {
    static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    @Test
    void startChecksOnlyTheRowsWrittenSinceTheLastCheckpoint() throws Exception {
        var cfg = TestConfigs.config(dir);
        try (Store s = Store.open(cfg.terminal().dataDir().resolve("terminal.db"), HexFormat.of().parseHex(SECRET))) {
            for (int i = 0; i < 300; i++) {
                s.append(row(i));
            }
            assertThat(s.verifyFromCheckpoint().ok()).isTrue();
            for (int i = 0; i < 3; i++) {
                s.append(row(300 + i));
            }
        }
        try (TerminalApp app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), Clock.systemDefaultZone(), screen -> { });
             ControlClient c = new ControlClient(cfg.control().socket())) {
            var j = c.call("status").path("journal");
            assertThat(j.path("start_check_from_seq").asLong()).isEqualTo(300);
            assertThat(j.path("start_check_rows").asLong()).isEqualTo(3);
        }
    }

    private static JournalRow row(int i) {
        return JournalRow.newBuilder().setKind(RowKind.SALE).setSaleId("T01-" + i).setTimeMs(1000L + i)
                .setCardUid(ByteString.copyFrom(new byte[4])).setAccountId(7).setAmountFen(100).setCashFen(100)
                .setMode(AuthMode.OFFLINE).build();
    }
}
