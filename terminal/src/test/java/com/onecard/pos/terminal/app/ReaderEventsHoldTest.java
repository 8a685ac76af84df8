package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.reader.CardTap;
import com.onecard.pos.reader.gpio.NoopFeedback;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AccountUpdate;
import com.onecard.pos.terminal.config.TerminalConfig;
import com.onecard.pos.terminal.sale.QrIssuer;
import com.onecard.pos.terminal.sale.SaleFlow;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A card that answers the reader holds background work (the center's account batches) off the
 * terminal thread until its sale is decided: the batch posted while the card is read runs after
 * the sale's outcome, never between the card and its decision.
 */
class ReaderEventsHoldTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] UID = HexFormat.of().parseHex("901F2AA4");

    @TempDir
    Path dir;

    @Test
    void aBatchPostedWhileTheCardIsReadRunsAfterTheSalesOutcome() throws Exception {
        TerminalConfig cfg = TestConfigs.config(dir, "pricing.periods", "");
        List<String> order = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir.resolve("terminal.db"), SECRET); TerminalLoop loop = new TerminalLoop("T01")) {
            store.accounts().applyAccount(AccountUpdate.newBuilder().setAccountId(7).setCardUid(ByteString.copyFrom(UID))
                    .setCardSerial(1).setHolderName("Li Lei").setStatus(AccountStatus.ACTIVE).setCashFen(10_000).setVersion(1).build(), 1);
            SaleOutcomes outcomes = new SaleOutcomes();
            var screens = new Screens(new Display(s -> { }), store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
            var effects = new SaleEffects(new NoopFeedback(), screens, null, outcomes, () -> null, loop::releaseBackground);
            SaleFlow flow = new SaleFlow(cfg, store, null, null, new QrIssuer(cfg.terminal(), com.onecard.pos.terminal.testutil.TestKeys.mac(SECRET)),
                    effects, loop, Clock.systemDefaultZone());
            ReaderEvents events = new ReaderEvents(loop, flow, Clock.systemDefaultZone(), () -> { });
            String saleId = loop.call(() -> flow.begin(1200, null)).get(5, TimeUnit.SECONDS);
            outcomes.of(saleId).thenAccept(o -> order.add("outcome " + (o.approved() ? "APPROVED" : "DECLINED")));

            events.onCardSeen(UID);
            loop.background(() -> order.add("batch"));
            // each round trip leaves the thread idle with the batch waiting: without the hold it would start it then
            for (int i = 0; i < 5; i++) {
                loop.call(() -> null).get(5, TimeUnit.SECONDS);
            }
            events.onTap(new CardTap(UID, 4, 8, CardTap.CampusRead.NOT_ATTEMPTED, new byte[0], Clock.systemDefaultZone().instant()));
            outcomes.of(saleId).get(5, TimeUnit.SECONDS);
            loop.call(() -> null).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (order.size() < 2 && System.nanoTime() < deadline) {
                loop.call(() -> null).get(5, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly("outcome APPROVED", "batch");
        }
    }
}
