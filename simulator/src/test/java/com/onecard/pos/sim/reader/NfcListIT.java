package com.onecard.pos.sim.reader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libnfc's own pn532_uart driver (nfc-list) opens the emulator and lists the card. */
class NfcListIT {
    @TempDir
    Path dir;
    PtyPair pair;
    Pn532Emulator emulator;

    @AfterEach
    void tearDown() {
        if (emulator != null) {
            emulator.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void nfcListShowsTheEmulatedCard() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nfc-list")) || onPath("nfc-list"), "nfc-list not installed");
        pair = PtyPair.startIn(dir);
        emulator = new Pn532Emulator(pair.device().toString(), 115200);
        emulator.place(VirtualCard.blank("04A1B2C3"));

        String out = nfcList(pair.host());
        assertThat(out).contains("opened").doesNotContain("nfc-list: ERROR");
        assertThat(out.replaceAll("\\s+", "").toLowerCase()).contains("uid(nfcid1):04a1b2c3")
                .contains("atqa(sens_res):0004").contains("sak(sel_res):08");

        // libnfc powered the chip down on close; a second open must wake it again
        emulator.remove();
        String empty = nfcList(pair.host());
        assertThat(empty).contains("opened").doesNotContain("nfc-list: ERROR").doesNotContain("ISO14443A passive target");

        // libnfc left the RF field off: our driver must switch it on again and see the card
        emulator.place(VirtualCard.blank("04A1B2C3"));
        try (var d = com.onecard.pos.reader.pn532.Pn532Driver.open(pair.host().toString(), 115200, null)) {
            assertThat(d.poll(null, java.time.Instant.now())).hasValueSatisfying(t -> assertThat(t.uidHex()).isEqualTo("04A1B2C3"));
        }
    }

    private static String nfcList(Path host) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("nfc-list").redirectErrorStream(true);
        pb.environment().put("LIBNFC_DEVICE", "pn532_uart:" + host);
        pb.environment().put("LIBNFC_LOG_LEVEL", "1");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nfc-list did not finish within 20 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
