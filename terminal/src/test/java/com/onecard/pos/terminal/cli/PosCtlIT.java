package com.onecard.pos.terminal.cli;

import com.onecard.pos.terminal.app.TerminalApp;
import com.onecard.pos.terminal.control.ControlClient;
import com.onecard.pos.terminal.testutil.MutableClock;
import com.onecard.pos.terminal.testutil.PosCtlRun;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The technician's commands as printed in the README and docs/operations.md, against a running daemon. */
class PosCtlIT {
    @TempDir
    Path dir;
    TerminalApp app;
    String sock;
    // 12:00 in Beijing: the default lunch period, fixed price 12.00
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T04:00:00Z"), ZoneId.of("Asia/Shanghai"));

    /** The daemon with an RDM6300 on a pty (its reader is OK: card sales can start), plus {@code overrides}. */
    void start(String... overrides) throws Exception {
        pty = com.onecard.pos.terminal.testutil.SocatPty.start(dir);
        String[] all = new String[overrides.length + 6];
        System.arraycopy(new String[]{"reader.driver", "rdm6300", "reader.port", pty.host().toString(), "reader.baud", "9600"},
                0, all, 0, 6);
        System.arraycopy(overrides, 0, all, 6, overrides.length);
        var cfg = TestConfigs.file(dir, all);
        app = TerminalApp.start(cfg, com.onecard.pos.terminal.testutil.TestKeys.inMemory("T01"), clock, screen -> { });
        sock = cfg.control().socket().toString();
    }

    com.onecard.pos.terminal.testutil.SocatPty pty;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    /** Waits (with a deadline) until the daemon's reader has opened its port. */
    void awaitReaderOk() throws Exception {
        try (ControlClient c = new ControlClient(Path.of(sock))) {
            com.onecard.pos.terminal.testutil.Await.until(java.time.Duration.ofSeconds(20),
                    () -> c.call("status").path("reader").path("state").asText().equals("OK"));
        }
    }

    @Test
    void globalOptionsWorkBeforeOrAfterTheCommandName() throws Exception {
        start();
        var before = PosCtlRun.of("--socket", sock, "status");
        assertThat(before.exit).as(before.toString()).isZero();
        assertThat(before.out).contains("T01");
        var after = PosCtlRun.of("status", "--socket", sock);
        assertThat(after.exit).as(after.toString()).isZero();
        var nested = PosCtlRun.of("--json", "--socket", sock, "config", "show");
        assertThat(nested.exit).as(nested.toString()).isZero();
        assertThat(nested.out).contains("\"config\"");
    }

    @Test
    void aMealPriceSaleReportsTheAmountCharged() throws Exception {
        start();
        awaitReaderOk();
        var r = PosCtlRun.of("--socket", sock, "sale", "0");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("¥12.00").doesNotContain("¥0.00");
        PosCtlRun.of("--socket", sock, "cancel");
        var json = PosCtlRun.of("--socket", sock, "--json", "sale", "0");
        assertThat(json.out).contains("\"amount_fen\" : 1200");
    }

    @Test
    void aCardSaleIsRefusedWhileTheReaderIsDisconnected() throws Exception {
        start("reader.driver", "pn532", "reader.port", dir.resolve("no-such-tty").toString());
        var r = PosCtlRun.of("--socket", sock, "sale", "12.50");
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("DISCONNECTED").contains("card center");
        try (ControlClient c = new ControlClient(Path.of(sock))) {
            assertThat(c.call("status").path("sale_state").asText()).isEqualTo("IDLE");
            assertThat(c.call("screen").path("text").asText()).doesNotContain("tap");
        }
        var qr = PosCtlRun.of("--socket", sock, "sale", "12.50", "--qr");
        assertThat(qr.exit).as(qr.toString()).isEqualTo(1);
        assertThat(qr.err).contains("QR payment needs the card center");
    }

    @Test
    void aWaitThatTimesOutSaysTheSaleIsOpenAndHowToCancelIt() throws Exception {
        start();
        awaitReaderOk();
        var r = PosCtlRun.of("--socket", sock, "sale", "12.50", "--wait", "1");
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("still open").contains("posctl cancel");
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheValueNotAJavaException() throws Exception {
        start();
        var csv = PosCtlRun.of("--socket", sock, "journal", "--csv", "/nonexistent/dir/x.csv");
        assertThat(csv.exit).as(csv.toString()).isEqualTo(2);
        assertThat(csv.err).contains("/nonexistent/dir").contains("does not exist").doesNotContain("Exception");
        var date = PosCtlRun.of("--socket", sock, "journal", "--date", "2026-13-01");
        assertThat(date.exit).as(date.toString()).isEqualTo(2);
        assertThat(date.err).contains("2026-13-01").doesNotContain("Exception");
        var settle = PosCtlRun.of("--socket", sock, "settle", "--date", "yesterday");
        assertThat(settle.exit).isEqualTo(2);
        assertThat(settle.err).doesNotContain("Exception");
        var card = PosCtlRun.of("--socket", sock, "card", "ZZZZ");
        assertThat(card.exit).as(card.toString()).isEqualTo(2);
        assertThat(card.err).contains("ZZZZ");
        for (String tail : new String[]{"0", "-5"}) {
            var t = PosCtlRun.of("--socket", sock, "journal", "--tail", tail);
            assertThat(t.exit).as(t.toString()).isEqualTo(2);
            assertThat(t.err).contains("--tail");
        }
        for (String amount : new String[]{"1e2", "١٢", "-3", "12.345", "0x10"}) {
            var s = PosCtlRun.of("--socket", sock, "sale", amount);
            assertThat(s.exit).as(amount + ": " + s).isEqualTo(2);
            assertThat(s.err).contains(amount);
        }
        awaitReaderOk();
        var trailingZeros = PosCtlRun.of("--socket", sock, "sale", "12.500");
        assertThat(trailingZeros.exit).as(trailingZeros.toString()).isZero();
        assertThat(trailingZeros.out).contains("¥12.50");
    }

    @Test
    void theControlApiRefusesFractionsAndUnknownSalesInsteadOfGuessing() throws Exception {
        start();
        try (ControlClient c = new ControlClient(Path.of(sock))) {
            var fraction = c.call(c.request("sale").put("amount_fen", 12.7));
            assertThat(fraction.path("ok").asBoolean()).isFalse();
            assertThat(fraction.path("error").asText()).contains("amount_fen").contains("12.7");
            assertThat(c.call(c.request("journal").put("limit", 0)).path("ok").asBoolean()).isFalse();
            for (int i = 0; i < 200; i++) {
                var unknown = c.call(c.request("await").put("sale_id", "T01-nope-" + i).put("timeout_ms", 5));
                assertThat(unknown.path("ok").asBoolean()).isFalse();
                assertThat(unknown.path("error").asText()).contains("no sale T01-nope-" + i);
            }
        }
    }

    @Test
    void aPinLockedCardCanBeUnlockedByTheTechnician() throws Exception {
        var cfg = TestConfigs.file(dir);
        byte[] uid = java.util.HexFormat.of().parseHex("901F2AA4");
        byte[] secret = com.onecard.pos.terminal.testutil.TestKeys.SECRET;
        try (var store = com.onecard.pos.terminal.store.Store.open(cfg.terminal().dataDir().resolve("terminal.db"), secret)) {
            store.accounts().applyAccount(com.onecard.pos.sync.proto.AccountUpdate.newBuilder().setAccountId(7)
                    .setCardUid(com.google.protobuf.ByteString.copyFrom(uid)).setCardSerial(1).setHolderName("Li Lei")
                    .setStatus(com.onecard.pos.sync.proto.AccountStatus.ACTIVE).setCashFen(2000)
                    .setPinVerifier("v1").setVersion(1).build(), 1);
            store.accounts().setPinFailures(7, 3, clock.millis());
        }
        start();
        var shown = PosCtlRun.of("--socket", sock, "card", "901F2AA4");
        assertThat(shown.out).contains("LOCKED after 3 wrong tries").contains("--clear-pin-lock");
        var cleared = PosCtlRun.of("--socket", sock, "card", "901F2AA4", "--clear-pin-lock");
        assertThat(cleared.exit).as(cleared.toString()).isZero();
        assertThat(cleared.out).contains("Li Lei").contains("3 wrong tries forgotten");
        assertThat(PosCtlRun.of("--socket", sock, "card", "901F2AA4").out).doesNotContain("LOCKED");
    }

    @Test
    void reverseNamesWhoseMoneyGoesBack() throws Exception {
        var cfg = TestConfigs.file(dir);
        byte[] uid = java.util.HexFormat.of().parseHex("901F2AA4");
        byte[] secret = com.onecard.pos.terminal.testutil.TestKeys.SECRET;
        try (var store = com.onecard.pos.terminal.store.Store.open(cfg.terminal().dataDir().resolve("terminal.db"), secret)) {
            store.accounts().applyAccount(com.onecard.pos.sync.proto.AccountUpdate.newBuilder().setAccountId(7)
                    .setCardUid(com.google.protobuf.ByteString.copyFrom(uid)).setCardSerial(1).setHolderName("Li Lei")
                    .setStatus(com.onecard.pos.sync.proto.AccountStatus.ACTIVE).setCashFen(2000).setVersion(1).build(), 1);
            store.journal().commit(com.onecard.pos.terminal.journal.Journal.Commit.of(
                    com.onecard.pos.terminal.journal.JournalEntry.sale("T01-1", clock.millis(), uid, 7, 1500, 0, 1500,
                            com.onecard.pos.terminal.journal.JournalEntry.Mode.OFFLINE, "lunch")));
        }
        start();
        var r = PosCtlRun.of("--socket", sock, "reverse");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).contains("card sale T01-1").contains("¥15.00").contains("Li Lei");
    }

    @Test
    void csvIsWrittenWhereAsked() throws Exception {
        start();
        Path out = dir.resolve("day.csv");
        var r = PosCtlRun.of("--socket", sock, "journal", "--csv", out.toString());
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(Files.readString(out)).startsWith("seq,kind");
    }
}
