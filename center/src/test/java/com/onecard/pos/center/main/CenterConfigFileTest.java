package com.onecard.pos.center.main;

import com.onecard.pos.center.CenterConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The center's configuration file as an operator writes it: each key read, each bad value named. */
class CenterConfigFileTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void pem() throws IOException {
        for (String f : new String[] {"ca.pem", "center.pem", "center.key"}) {
            Files.writeString(dir.resolve(f), "x");
        }
        file = dir.resolve("center.properties");
    }

    private CenterConfig load(String extra) throws Exception {
        Files.writeString(file, """
                database.url=jdbc:postgresql://db.campus/onecard
                tls.ca=ca.pem
                tls.cert=center.pem
                tls.key=center.key
                """ + extra);
        return CenterConfigFile.load(file);
    }

    @Test
    void theReplayKeysAreReadAndDefaultWhenAbsent() throws Exception {
        CenterConfig dflt = load("");
        assertThat(dflt.replaysAtOnce()).isEqualTo(CenterConfig.defaultReplaysAtOnce());
        assertThat(dflt.replayChangesPerSecond()).isEqualTo(CenterConfig.defaultReplayChangesPerSecond());
        CenterConfig set = load("sync.replays-at-once=7\nsync.replay-changes-per-second=12345\n");
        assertThat(set.replaysAtOnce()).isEqualTo(7);
        assertThat(set.replayChangesPerSecond()).isEqualTo(12_345);
    }

    @Test
    void theHandshakesAtOnceKeyIsReadAndDefaultsToHalfTheCpus() throws Exception {
        assertThat(load("").handshakesAtOnce()).isEqualTo(CenterConfig.defaultHandshakesAtOnce())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(load("sync.handshakes-at-once=3\n").handshakesAtOnce()).isEqualTo(3);
        assertThatThrownBy(() -> load("sync.handshakes-at-once=0\n")).isInstanceOf(CenterConfigFile.Invalid.class)
                .hasMessage("sync.handshakes-at-once: must be a whole number from 1 to 10000, got '0'");
    }

    @Test
    void theLedgerPolicyAndPortsAreRead() throws Exception {
        CenterConfig c = load("ledger.reversal-window-hours=48\nledger.hold-seconds=90\nsync.port=9443\n"
                + "database.pool-size=8\n");
        assertThat(c.policy().reversalWindow()).isEqualTo(Duration.ofHours(48));
        assertThat(c.policy().holdFor()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.syncPort()).isEqualTo(9443);
        assertThat(c.database().poolSize()).isEqualTo(8);
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyTheRangeAndTheValue() {
        assertThatThrownBy(() -> load("sync.replays-at-once=0\n")).isInstanceOf(CenterConfigFile.Invalid.class)
                .hasMessage("sync.replays-at-once: must be a whole number from 1 to 10000, got '0'");
        assertThatThrownBy(() -> load("sync.replay-changes-per-second=fast\n"))
                .hasMessage("sync.replay-changes-per-second: must be a whole number from 1 to 100000000, got 'fast'");
        assertThatThrownBy(() -> load("ledger.hold-seconds=2\n")).hasMessageStartingWith("ledger.hold-seconds: ");
    }

    @Test
    void anUnknownKeyAMissingUrlOrFileAndAWorldReadablePasswordAreRefused() throws Exception {
        assertThatThrownBy(() -> load("sync.replay-at-once=3\n")).hasMessageEndingWith("unknown key sync.replay-at-once");
        Files.writeString(file, "tls.ca=ca.pem\ntls.cert=center.pem\ntls.key=center.key\n");
        assertThatThrownBy(() -> CenterConfigFile.load(file)).hasMessage("database.url: missing");
        assertThatThrownBy(() -> load("tls.ca=nowhere.pem\n")).hasMessageStartingWith("tls.ca: no readable file ");
        Path pw = dir.resolve("db.password");
        Files.writeString(pw, "s3cret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> load("database.password-file=db.password\n"))
                .hasMessageContaining("is readable by everyone; chmod 600 it");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertThat(load("database.password-file=db.password\n").database().password()).isEqualTo("s3cret");
    }

    @Test
    void theTicketSecretFileIsReadAsHexAndRefusedWhenShortNotHexOrReadableByEveryone() throws Exception {
        assertThat(load("").ticketSecret()).isNull();
        Path f = dir.resolve("ticket.secret");
        Files.writeString(f, "ab".repeat(32) + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThat(load("sync.ticket-secret-file=ticket.secret\n").ticketSecret()).hasSize(32)
                .containsOnly((byte) 0xab);
        assertThat(load("sync.ticket-secret-file=ticket.secret\n").toString()).doesNotContain("abab").contains("ticketSecret=***");
        Files.writeString(f, "ab".repeat(31));
        assertThatThrownBy(() -> load("sync.ticket-secret-file=ticket.secret\n"))
                .hasMessage("sync.ticket-secret-file: at least 64 hex digits (32 bytes)");
        Files.writeString(f, "zz".repeat(32));
        assertThatThrownBy(() -> load("sync.ticket-secret-file=ticket.secret\n"))
                .hasMessage("sync.ticket-secret-file: not hex digits");
        Files.writeString(f, "ab".repeat(32));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> load("sync.ticket-secret-file=ticket.secret\n"))
                .hasMessageContaining("is readable by everyone; chmod 600 it");
    }
}
