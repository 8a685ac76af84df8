package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
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
}
