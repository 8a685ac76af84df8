package com.onecard.pos.terminal.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.terminal.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** posctl reader test names the card from the application note's tables, SAK and ATQA in hex only. */
class TapReportTest {
    @TempDir
    Path dir;

    @Test
    void aDesfireIsNamedAndItsSakIsHexNotDecimal() {
        try (Store store = Store.open(dir.resolve("t.db"), HexFormat.of().parseHex("00112233445566778899aabbccddeeff"))) {
            var tap = new CardTap(HexFormat.of().parseHex("04112233445566"), 0x0344, 0x20, CardTap.CampusRead.NOT_ATTEMPTED,
                    new byte[0], Instant.EPOCH);
            var n = TapReport.describe(new ObjectMapper(), tap, null, store, null);
            assertThat(n.path("card_type").asText()).isEqualTo("MIFARE DESFire (EV1/EV2/EV3)");
            assertThat(n.path("sak").asText()).isEqualTo("20");
            assertThat(n.path("atqa").asText()).isEqualTo("0344");
            assertThat(n.toString()).doesNotContain("SAK 32").doesNotContain(":32");
            assertThat(n.path("card_facts").toString()).contains("ISO/IEC 14443-4");
            assertThat(n.path("uid_size").asText()).isEqualTo("double (7 bytes)");
        }
    }

    @Test
    void anInfineonClassicIsASecondSourceClassic() {
        try (Store store = Store.open(dir.resolve("t.db"), HexFormat.of().parseHex("00112233445566778899aabbccddeeff"))) {
            var tap = new CardTap(HexFormat.of().parseHex("901F2AA4"), 0x0004, 0x88, CardTap.CampusRead.NOT_ATTEMPTED,
                    new byte[0], Instant.EPOCH);
            assertThat(TapReport.describe(new ObjectMapper(), tap, null, store, null).path("card_type").asText())
                    .startsWith("MIFARE Classic 1K by Infineon");
        }
    }
}
