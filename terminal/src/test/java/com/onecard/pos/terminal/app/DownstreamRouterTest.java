package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.ConfigChange;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.terminal.config.ConfigLoader;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DownstreamRouterTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;

    static Downstream account(long id, long version) {
        return Downstream.newBuilder().setStream("accounts").setVersion(version).setAccount(AccountUpdate.newBuilder()
                .setAccountId(id).setCardUid(ByteString.copyFrom(ByteBuffer.allocate(4).putInt((int) id).array()))
                .setHolderName("s" + id).setStatus(AccountStatus.ACTIVE).setCashFen(1000).setVersion(version)).build();
    }

    @Test
    void accountChangesAreAppliedInBatchesAndATapGoesBetweenThem() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir.resolve("t.db"), SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            var router = new DownstreamRouter(store, loop, new ConfigApplier(TestConfigs.config(dir)));
            CountDownLatch release = new CountDownLatch(1);
            loop.background(() -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int n = DownstreamRouter.ACCOUNT_BATCH * 2 + 50;
            List<CompletableFuture<Void>> applied = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                int v = i;
                var f = router.apply(account(i, i)).toCompletableFuture();
                f.thenRun(() -> order.add("account-" + v));
                applied.add(f);
            }
            assertThat(router.accountsQueued()).isEqualTo(n);
            loop.execute(() -> order.add("tap"));
            release.countDown();
            CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(store.accounts().accountCount()).isEqualTo(n);
            assertThat(store.accounts().cursors()).containsEntry("accounts", (long) n);
            assertThat(router.cursors()).containsEntry("accounts", (long) n);
            assertThat(order.indexOf("tap")).as("the tap ran before the first batch").isZero();
        }
    }

    static Downstream account(long id, long version, int card) {
        return Downstream.newBuilder().setStream("accounts").setVersion(version).setAccount(AccountUpdate.newBuilder()
                .setAccountId(id).setCardUid(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(card).array()))
                .setHolderName("s" + id).setStatus(AccountStatus.ACTIVE).setCashFen(version).setVersion(version)).build();
    }

    @Test
    void manyChangesToFewAccountsAreAllAcknowledgedAndEachAccountEndsAtItsNewest() throws Exception {
        try (Store store = Store.open(dir.resolve("t.db"), SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            var router = new DownstreamRouter(store, loop, new ConfigApplier(TestConfigs.config(dir)));
            List<CompletableFuture<Void>> applied = new ArrayList<>();
            // a card handed from account 1 to account 2 (v2), then account 1 given card 99 (v3)
            applied.add(router.apply(account(1, 1, 7)).toCompletableFuture());
            applied.add(router.apply(account(2, 2, 7)).toCompletableFuture());
            applied.add(router.apply(account(1, 3, 99)).toCompletableFuture());
            // card 55 moves from account 3 (v4) to account 4 (v5): account 3 leaves the cache, as when applied one by one
            applied.add(router.apply(account(3, 4, 55)).toCompletableFuture());
            applied.add(router.apply(account(4, 5, 55)).toCompletableFuture());
            for (int v = 6; v <= 1500; v++) {
                applied.add(router.apply(account(10 + v % 10, v, 1000 + v % 10)).toCompletableFuture());
            }
            CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(store.accounts().accountCount()).isEqualTo(13);
            assertThat(store.accounts().accountById(3)).isEmpty();
            assertThat(store.accounts().accountById(4)).hasValueSatisfying(a -> assertThat(a.cardUid()).containsExactly(0, 0, 0, 55));
            assertThat(store.accounts().accountById(1)).hasValueSatisfying(a -> assertThat(a.cardUid()).containsExactly(0, 0, 0, 99));
            assertThat(store.accounts().accountById(2)).hasValueSatisfying(a -> assertThat(a.cardUid()).containsExactly(0, 0, 0, 7));
            for (int id = 10; id < 20; id++) {
                long newest = 1500 - Math.floorMod(1500 - (id - 10), 10);
                assertThat(store.accounts().accountById(id)).hasValueSatisfying(a -> assertThat(a.version()).isEqualTo(newest));
            }
            assertThat(store.accounts().cursors()).containsEntry("accounts", 1500L);
        }
    }

    @Test
    void anOlderChangeQueuedAfterANewerOneDoesNotOverwriteIt() throws Exception {
        try (Store store = Store.open(dir.resolve("t.db"), SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            var router = new DownstreamRouter(store, loop, new ConfigApplier(TestConfigs.config(dir)));
            var newer = router.apply(account(5, 9)).toCompletableFuture();
            var older = router.apply(account(5, 3)).toCompletableFuture();
            CompletableFuture.allOf(newer, older).get(5, TimeUnit.SECONDS);
            assertThat(store.accounts().accountById(5)).hasValueSatisfying(a -> assertThat(a.version()).isEqualTo(9));
        }
    }

    static Downstream config(long version, String key, String value) {
        return Downstream.newBuilder().setStream("config").setVersion(version)
                .setConfig(ConfigChange.newBuilder().setKey(key).setValue(value)).build();
    }

    /** Keys a card office has no business setting, each with the value an attacker at the center would send. */
    static final String[][] LOCAL_ONLY = {
            {"reader.require-credential", "false"},
            {"token.library", "/tmp/evil-pkcs11.so"},
            {"token.pin-file", "/tmp/pin"},
            {"token.slot", "7"},
            {"token.slot-index", "1"},
            {"card.issuer-public-keys", "/tmp/attacker-issuer.pem"},
            {"card.v1-accepted-until", "2099-12-31"},
            {"control.socket", "/tmp/control.sock"},
            {"control.group", "users"},
            {"center.host", "attacker.example"},
            {"center.port", "443"},
            {"center.ca-cert", "/tmp/attacker-ca.pem"},
            {"center.cert", "/tmp/t.pem"},
            {"center.key", "/tmp/t.key"},
            {"terminal.id", "T99"},
            {"terminal.data-dir", "/tmp"},
            {"terminal.canteen-id", "C99"},
            {"reader.driver", "rdm6300"},
            {"reader.port", "/dev/ttyS0"},
            {"keypad.stdin", "true"},
            {"display.path", "/etc/onecard-pos/pos.properties"},
            {"journal.retention-days", "7"},
            {"auth.mode", "offline-only"},
            {"no.such.key", "1"},
    };

    @Test
    void theCenterSetsOnlyACardOfficesKeysAndEveryOtherIsRefusedCountedAndNeverApplied() throws Exception {
        Path file = dir.resolve("pos.properties");
        Files.writeString(dir.resolve("issuer.pub.pem"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
        Files.writeString(file, String.join("\n", "terminal.id=T01", "terminal.data-dir=" + dir, "reader.driver=none",
                "reader.require-credential=true", "card.issuer-public-keys=" + dir.resolve("issuer.pub.pem"),
                "auth.mode=prefer-online", "control.socket=" + dir.resolve("control.sock"), "display.kind=none", ""));
        try (Store store = Store.open(dir.resolve("t.db"), SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            var applier = new ConfigApplier(ConfigLoader.load(file));
            var router = new DownstreamRouter(store, loop, applier);
            String before = Files.readString(file);
            long v = 0;
            for (String[] kv : LOCAL_ONLY) {
                assertThat(ConfigApplier.centerMaySet(kv[0])).as(kv[0]).isFalse();
                router.apply(config(++v, kv[0], kv[1])).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(Files.readString(file)).as("after the center sent " + kv[0]).isEqualTo(before);
                assertThat(applier.current().reader().requireCredential()).isTrue();
                assertThat(applier.refusedFromCenter()).isEqualTo(new ConfigApplier.Refused(v, kv[0]));
            }
            assertThat(store.accounts().cursors()).as("a refused key is consumed, not sent again").containsEntry("config", v);
            // a card office's key still applies (at the next start: not a live key)
            router.apply(config(++v, "terminal.merchant-name", "NORTH CANTEEN")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(Files.readString(file)).contains("terminal.merchant-name=NORTH CANTEEN");
            assertThat(applier.refusedFromCenter().count()).isEqualTo(LOCAL_ONLY.length);
        }
    }
}
