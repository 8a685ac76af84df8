package com.onecard.pos.center.topup;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.TestPostgres;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any interleaving of duplicate, late and reordered provider notifications, order queries,
 * status polls and sweeps (several at once, as on several center instances) credits each paid
 * order exactly once and no unpaid order at all.
 */
class NotificationInterleavingPropertiesIT {
    static final AtomicInteger TRY = new AtomicInteger();
    static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-09-01T04:00:00Z"));
    static CenterLedger ledger;

    static synchronized CenterLedger ledger() {
        if (ledger == null) {
            ledger = CenterLedger.open(TestPostgres.freshDatabase("interleavings"), CLOCK);
        }
        return ledger;
    }

    @AfterContainer
    static synchronized void close() {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }

    /** One order: its yuan, whether the student paid it, how many notifications the provider sends. */
    record Plan(int yuan, boolean paid, int notifications, boolean tamperedCopy) {
    }

    @Provide
    Arbitrary<List<Plan>> plans() {
        return Combinators.combine(Arbitraries.integers().between(1, 1000), Arbitraries.of(true, true, false),
                Arbitraries.integers().between(0, 4), Arbitraries.of(false, false, true)).as(Plan::new)
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 30)
    void everyPaidOrderIsCreditedExactlyOnce(@ForAll("plans") List<Plan> plans, @ForAll long shuffle,
                                             @ForAll("threads") int threads) throws Exception {
        CenterLedger l = ledger();
        long account = 30_000_000L + TRY.incrementAndGet();
        l.accounts().open(account, java.nio.ByteBuffer.allocate(8).putLong(account).array(), 1, "p" + account, 0, 0, "",
                0);
        long user = new com.onecard.pos.center.identity.AppUsers(l.unitOfWork(), CLOCK).enrolStudent(account,
                "s" + account);
        ScriptedProvider provider = new ScriptedProvider(CLOCK);
        TopUpOrders orders = new TopUpOrders(l.unitOfWork(), l.accounts(), CLOCK);
        TopUps topUps = new TopUps(orders, Map.of("wechat", provider), CLOCK,
                new TopUps.Settings(Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ZERO, "http://center.invalid"));

        List<Runnable> events = new ArrayList<>();
        long expected = 0;
        List<String> nos = new ArrayList<>();
        for (Plan p : plans) {
            String no = topUps.create(user, account, p.yuan(), "wechat", "127.0.0.1").order().outTradeNo();
            nos.add(no);
            provider.amounts.put(no, p.yuan() * 100L);
            if (p.paid()) {
                provider.paid.add(no);
                expected += p.yuan() * 100L;
                for (int i = 0; i < p.notifications(); i++) {
                    events.add(() -> notify(topUps, no, p.yuan() * 100L));
                }
                if (p.tamperedCopy()) {
                    events.add(() -> notify(topUps, no, p.yuan() * 100L + 1));
                }
            }
            events.add(() -> status(topUps, account, no));
        }
        events.add(topUps::sweep);
        events.add(topUps::sweep);
        Collections.shuffle(events, new Random(shuffle));

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t;
                done.add(pool.submit(() -> {
                    for (int i = from; i < events.size(); i += threads) {
                        events.get(i).run();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // Late: the orders' time runs out; the sweep queries what was never notified and closes the rest.
        CLOCK.advance(Duration.ofMinutes(16));
        topUps.sweep();
        for (String no : nos) {
            notify(topUps, no, provider.amounts.get(no));
        }

        long credited = l.accounts().movements(account).stream().filter(m -> m.kind().equals("TOP_UP"))
                .mapToLong(m -> m.cashFen()).sum();
        assertThat(credited).isEqualTo(expected);
        for (String no : nos) {
            long credits = l.accounts().movements(account).stream()
                    .filter(m -> ("wechat:" + no).equals(m.channel())).count();
            TopUpOrders.Order o = orders.find(no).orElseThrow();
            if (provider.paid.contains(no)) {
                assertThat(credits).as(no).isEqualTo(1);
                assertThat(o.state()).isEqualTo(TopUpOrders.State.PAID);
            } else {
                assertThat(credits).as(no).isZero();
                assertThat(o.state()).isEqualTo(TopUpOrders.State.CLOSED);
            }
        }
        assertThat(l.accounts().purses(account)[1]).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Integer> threads() {
        return Arbitraries.integers().between(1, 4);
    }

    private static void notify(TopUps topUps, String no, long fen) {
        try {
            topUps.notification("wechat", Map.of(), ScriptedProvider.notification(no, fen));
        } catch (Refusal expectedForTamperedOrClosed) {
            // a tampered amount or a closed order is refused; the property is about what gets credited
        }
    }

    private static void status(TopUps topUps, long account, String no) {
        topUps.status(account, no);
    }
}
