package com.onecard.pos.sim.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.onecard.pos.sim.TerminalProcess;
import com.onecard.pos.sim.reader.Pn532Emulator;
import com.onecard.pos.sim.reader.PtyPair;
import com.onecard.pos.sim.reader.VirtualCard;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.JournalRow;
import com.onecard.pos.terminal.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real power cut, not a kill: the daemon's data folder is on lossyfs, which loses every write
 * not yet fsync'd when it goes. The daemon (its own JVM, PN532 emulator on a pty, offline) approves
 * sales; then the daemon is killed and the filesystem with it. Every approved sale must be in the
 * journal that is left on disk. A store that does not fsync its commits fails here (a SIGKILL
 * alone keeps the page cache and cannot show it).
 */
class PowerCutIT {
    static byte[] secret;
    static final int CARDS = 5;
    static final int SALES = 30;

    @TempDir
    Path dir;

    record Approved(String saleId, long seq, long amountFen) {
    }

    static byte[] uid(int i) {
        return new byte[]{0x0A, 0x0B, 0x0C, (byte) i};
    }

    @Test
    void everyApprovedSaleIsOnDiskAfterAPowerCut() throws Exception {
        Path logs = Path.of("target/lossyfs-logs").toAbsolutePath();
        // the daemon's keys in a SoftHSM2 token, as on a terminal; the store is opened here with the
        // same journal key (the terminal secret the center keeps)
        com.onecard.pos.sim.Keys keys = com.onecard.pos.sim.Keys.provision(Path.of("..").toAbsolutePath().normalize(),
                dir.resolve("keys"), List.of("T01"));
        secret = keys.terminalSecret("T01");
        try (LossyFs fs = new LossyFs(dir.resolve("disk"), dir.resolve("data"), logs.resolve("PowerCutIT.log"));
             PtyPair pty = PtyPair.startIn(dir.resolve("pty"))) {
            fs.mount();
            seedAccounts(fs.mountpoint().resolve("terminal.db"));
            Map<String, String> cfg = new LinkedHashMap<>();
            cfg.putAll(keys.tokenConfig("T01"));
            cfg.put("terminal.data-dir", fs.mountpoint().toString());
            cfg.put("reader.driver", "pn532");
            cfg.put("reader.port", pty.host().toString());
            cfg.put("reader.require-credential", "false");
            cfg.put("gpio.platform", "mock");
            cfg.put("auth.mode", "offline-only");
            cfg.put("auth.pin.sale-threshold-fen", "0");
            cfg.put("auth.pin.daily-threshold-fen", "0");
            cfg.put("pricing.periods", "");
            cfg.put("display.kind", "none");
            List<Approved> approved = new ArrayList<>();
            try (Pn532Emulator reader = new Pn532Emulator(pty.device().toString(), 115200);
                 TerminalProcess t = new TerminalProcess("T01", dir.resolve("terminal"), cfg)) {
                keys.tokenEnv("T01").forEach(t::environment);
                t.start(Duration.ofSeconds(30));
                // a card sale is refused until the reader answers (no student is asked to tap a dead reader)
                com.onecard.pos.center.testing.Await.until(Duration.ofSeconds(30), () -> readerState(t).equals("OK"),
                        () -> "reader OK, is " + readerState(t));
                for (int i = 0; i < SALES; i++) {
                    long amount = 100 + i;
                    JsonNode sale = t.call("sale", "amount_fen", amount);
                    assertThat(sale.path("ok").asBoolean()).as(sale.toString()).isTrue();
                    reader.place(VirtualCard.blank(uid(i % CARDS)));
                    JsonNode res;
                    try {
                        res = t.call("await", "sale_id", sale.path("sale_id").asText(), "timeout_ms", 10_000);
                    } finally {
                        reader.remove();
                    }
                    JsonNode o = res.path("outcome");
                    assertThat(o.path("approved").asBoolean()).as(res.toString()).isTrue();
                    approved.add(new Approved(o.path("sale_id").asText(), o.path("seq").asLong(), o.path("amount_fen").asLong()));
                    awaitRemoval(reader);
                }
                // the power goes right after the last approval: the daemon and the page cache with it
                t.kill();
                fs.powerCut();
            }
            assertThat(approved).hasSize(SALES);
            try (Store s = Store.open(fs.backing().resolve("terminal.db"), secret)) {
                assertThat(s.verifyChain()).isEmpty();
                for (Approved a : approved) {
                    JournalRow r = s.row(a.seq()).orElse(null);
                    assertThat(r).as("approved sale " + a.saleId() + " (seq " + a.seq() + ") after the power cut").isNotNull();
                    assertThat(r.getSaleId()).isEqualTo(a.saleId());
                    assertThat(r.getAmountFen()).isEqualTo(a.amountFen());
                }
            }
        }
    }

    private static void seedAccounts(Path db) {
        try (Store s = Store.open(db, secret)) {
            for (int i = 0; i < CARDS; i++) {
                s.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(1000 + i).setCardUid(ByteString.copyFrom(uid(i)))
                        .setCardSerial(1).setHolderName("student " + i).setStatus(AccountStatus.ACTIVE).setCashFen(1_000_000)
                        .setVersion(1).build(), i + 1);
            }
        }
    }

    /** The reader has polled the empty field a few times, so the next card is a new tap. */
    private static void awaitRemoval(Pn532Emulator reader) {
        long target = reader.commandsHandled() + 3;
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (reader.commandsHandled() < target && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L); // polling the emulator counter with a deadline
        }
    }

    private static String readerState(TerminalProcess t) {
        try {
            return t.call("status").path("reader").path("state").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
