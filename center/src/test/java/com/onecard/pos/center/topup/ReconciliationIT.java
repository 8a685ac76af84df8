package com.onecard.pos.center.topup;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily reconciliation against the ledger's TOP_UP movements, not only the orders: an order
 * credited twice, not at all, or with another amount is each a named difference for the card
 * office, while the order table alone would look clean. The faults are made directly in the
 * ledger (as a broken guard or a hand edit would leave it), on a real PostgreSQL.
 */
class ReconciliationIT {
    static final LocalDate DAY = LocalDate.of(2026, 9, 1);
    final MovableClock clock = new MovableClock(Instant.parse("2026-09-01T04:00:00Z"));
    CenterLedger ledger;
    ScriptedProvider provider;
    TopUps topUps;
    Reconciliation reconciliation;
    long account = 40_000_001L;
    long user;

    @BeforeEach
    void open() {
        ledger = CenterLedger.open(TestPostgres.freshDatabase("reconciliation"), clock);
        ledger.accounts().open(account, ByteBuffer.allocate(8).putLong(account).array(), 1, "p" + account, 0, 0, "", 0);
        user = new AppUsers(ledger.unitOfWork(), clock).enrolStudent(account, "s" + account);
        provider = new ScriptedProvider(clock);
        TopUpOrders orders = new TopUpOrders(ledger.unitOfWork(), ledger.accounts(), clock);
        topUps = new TopUps(orders, Map.of("wechat", provider), clock,
                new TopUps.Settings(Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ZERO, "http://center.invalid"));
        reconciliation = new Reconciliation(ledger.unitOfWork(), orders, clock);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    /** An order the student paid (the provider collected it and notified once): PAID and credited once. */
    private String paid(long yuan) {
        String no = topUps.create(user, account, yuan, "wechat", "127.0.0.1").order().outTradeNo();
        provider.amounts.put(no, yuan * 100);
        provider.paid.add(no);
        topUps.notification("wechat", Map.of(), ScriptedProvider.notification(no, yuan * 100));
        return no;
    }

    private List<Reconciliation.Difference> reconcile() throws ProviderException {
        Reconciliation.Run run = reconciliation.run(provider, DAY);
        assertThat(reconciliation.newest(1).get(0).differences()).containsExactlyElementsOf(run.differences());
        return run.differences();
    }

    private void sql(String statement, String no) {
        ledger.unitOfWork().run("test fault on " + no, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(statement)) {
                p.setString(1, no);
                assertThat(p.executeUpdate()).as(statement).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void cleanDayAndARepeatedNotificationStayClean() throws Exception {
        String a = paid(12);
        paid(30);
        topUps.notification("wechat", Map.of(), ScriptedProvider.notification(a, 1200));

        assertThat(reconcile()).isEmpty();
        assertThat(ledger.accounts().purses(account)[1]).isEqualTo(4200);
    }

    @Test
    void anOrderCreditedTwiceInTheLedgerIsADoubleCredit() throws Exception {
        String twice = paid(25);
        paid(7);
        // The order table still says PAID once; the ledger got a second TOP_UP for the same order.
        ledger.accounts().topUp(account, 2500, "wechat:" + twice);

        assertThat(reconcile()).extracting(Reconciliation.Difference::outTradeNo, Reconciliation.Difference::kind,
                        Reconciliation.Difference::statementFen, Reconciliation.Difference::ledgerFen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(twice, Reconciliation.Kind.DOUBLE_CREDIT, 2500L,
                        5000L));
    }

    @Test
    void aPaidOrderWithNoTopUpMovementIsNotCredited() throws Exception {
        String lost = paid(40);
        paid(1);
        sql("DELETE FROM movements WHERE kind = 'TOP_UP' AND out_trade_no = ?", lost);

        List<Reconciliation.Difference> d = reconcile();
        assertThat(d).extracting(Reconciliation.Difference::outTradeNo, Reconciliation.Difference::kind,
                        Reconciliation.Difference::ledgerFen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(lost, Reconciliation.Kind.NOT_CREDITED, 0L));
        assertThat(d.get(0).detail()).contains("4000 fen");
    }

    @Test
    void aCreditOfAnotherAmountDiffers() throws Exception {
        String off = paid(100);
        sql("UPDATE movements SET cash_fen = 1000 WHERE kind = 'TOP_UP' AND out_trade_no = ?", off);

        assertThat(reconcile()).extracting(Reconciliation.Difference::outTradeNo, Reconciliation.Difference::kind,
                        Reconciliation.Difference::statementFen, Reconciliation.Difference::ledgerFen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(off, Reconciliation.Kind.CREDIT_AMOUNT_DIFFERS,
                        10000L, 1000L));
    }

    @Test
    void aTopUpMovementCarriesItsOutTradeNo() throws Exception {
        String no = paid(3);
        Long[] seen = ledger.unitOfWork().read("reading", tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT count(*), sum(cash_fen) FROM movements WHERE out_trade_no = ? AND channel = ?")) {
                p.setString(1, no);
                p.setString(2, "wechat:" + no);
                try (var r = p.executeQuery()) {
                    r.next();
                    return new Long[] {r.getLong(1), r.getLong(2)};
                }
            }
        });
        assertThat(seen).containsExactly(1L, 300L);
    }
}
