package com.onecard.pos.sim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.AppService;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.identity.FileSmsSink;
import com.onecard.pos.center.identity.PasswordHasher;
import com.onecard.pos.center.topup.Reconciliation;
import com.onecard.pos.center.topup.TopUpOrders;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.MovableClock;
import com.onecard.pos.center.testing.TestPostgres;
import com.onecard.pos.sim.app.SmsInbox;
import com.onecard.pos.sim.app.StudentApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Top-ups through the simulated providers on a running service: each fault of a real provider
 * still credits a paid order exactly once; forged, replayed, amount-changed and late
 * notifications are refused with their own codes and credit nothing; an unpaid order closes;
 * the daily statement reconciles with the ledger, and a difference is listed.
 */
class TopUpIT {
    static final long ACC = 20260001;
    static final Instant NOW = Instant.parse("2026-09-01T04:00:00Z");

    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(NOW);
    CenterLedger ledger;
    AppService app;
    SimulatedWechatPay wechat;
    SimulatedAlipay alipay;
    StudentApp phone;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        wechat = new SimulatedWechatPay(ProviderKeys.generate(dir.resolve("pay"), "wechat"), clock);
        alipay = new SimulatedAlipay(ProviderKeys.generate(dir.resolve("pay"), "alipay"), clock);
        wechat.start();
        alipay.start();
        ledger = CenterLedger.open(TestPostgres.freshDatabase("topup"), clock).startFeed();
        Path sms = dir.resolve("sms.log");
        AppServiceConfig cfg = AppServiceConfig.defaults().withTokenSecret(new byte[32])
                .withSms(new FileSmsSink(sms, clock)).withPasswordCost(new PasswordHasher.Cost(256, 1, 1))
                .withProviders(wechat.centerConfig(), alipay.centerConfig())
                .withOrderTiming(Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofHours(1));
        app = AppService.start(ledger, cfg, "127.0.0.1", 0, clock);
        ledger.accounts().open(ACC, new byte[] {1, 2, 3, 4}, 1, "Wang Fang", 0, 1_000, "", 0);
        ledger.accounts().setNationalId(ACC, "11010519900307123X");
        app.users().enrolStudent(ACC, "2026000101");
        phone = new StudentApp(URI.create("http://127.0.0.1:" + app.port()), new SmsInbox(sms), "13800138000");
        assertThat(phone.firstLogin("2026000101", "071230", "canteen2026").path("http_status").asInt()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        app.close();
        ledger.close();
        wechat.close();
        alipay.close();
    }

    private long cash() {
        return ledger.accounts().purses(ACC)[1];
    }

    private long topUpMovements() {
        return ledger.accounts().movements(ACC).stream().filter(m -> m.kind().equals("TOP_UP")).count();
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyFaultOfARealProviderStillCreditsAPaidOrderOnce() {
        long expected = 1_000;
        int n = 0;
        for (SimulatedProvider p : new SimulatedProvider[] {wechat, alipay}) {
            for (Fault fault : Fault.values()) {
                p.faults(no -> fault);
                JsonNode order = phone.topUp(10 + n, p.channel());
                expected += (10 + n) * 100L;
                n++;
                assertThat(order.path("state").asText()).as(p.channel() + " " + fault + " " + order).isEqualTo("PAID");
            }
        }
        Await.until(Duration.ofSeconds(10), () -> wechat.delivered() + alipay.delivered() >= 2 * 4,
                () -> "notifications acknowledged: " + (wechat.delivered() + alipay.delivered()));
        // What the verdict's provider_statement_equals_ledger checks: each statement against the
        // orders and the ledger's TOP_UP movements (a duplicate credited twice is a DOUBLE_CREDIT).
        for (SimulatedProvider p : new SimulatedProvider[] {wechat, alipay}) {
            Reconciliation.Run run;
            try {
                run = app.reconciliation().run(app.topUps().provider(p.channel()).orElseThrow(),
                        LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(run.differences()).as(p.channel()).isEmpty();
        }
        assertThat(cash()).isEqualTo(expected);
        assertThat(topUpMovements()).isEqualTo(n);
        assertThat(app.topUps().orders().notificationOutcomes()).containsKeys("CREDITED", "DUPLICATE",
                "NOTIFY_BAD_SIGNATURE");
        JsonNode bills = phone.bills(1, 50);
        assertThat(bills.path("total").asInt()).isEqualTo(n);
        assertThat(bills.path("items").get(0).path("out_trade_no").asText()).startsWith("T");
    }

    @Test
    void forgedReplayedAmountChangedAndLateNotificationsAreRefusedAndCreditNothing() throws Exception {
        wechat.faults(no -> Fault.NEVER);
        JsonNode created = phone.createOrder(50, "wechat");
        String no = created.path("out_trade_no").asText();
        assertThat(wechat.pay(no)).isTrue();
        SimulatedProvider.Order o = wechat.order(no);
        URI notify = URI.create(o.notifyUrl);

        HttpResponse<String> forged = send(wechat.signed(notify, wechat.notificationBody(o, 5_000), true));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("NOTIFY_BAD_SIGNATURE");

        HttpResponse<String> changed = send(wechat.signed(notify, wechat.notificationBody(o, 500_000), false));
        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(changed.body()).contains("NOTIFY_AMOUNT_MISMATCH");
        assertThat(cash()).isEqualTo(1_000);

        HttpResponse<String> real = send(wechat.signed(notify, wechat.notificationBody(o, 5_000), false));
        assertThat(real.statusCode()).isEqualTo(204);
        assertThat(cash()).isEqualTo(6_000);
        HttpRequest captured = wechat.signed(notify, wechat.notificationBody(o, 5_000), false);
        assertThat(send(captured).statusCode()).as("a duplicate is acknowledged").isEqualTo(204);
        clock.advance(Duration.ofMinutes(6));
        HttpResponse<String> replayed = send(captured);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("NOTIFY_STALE");
        assertThat(cash()).isEqualTo(6_000);
        assertThat(topUpMovements()).isEqualTo(1);

        alipay.faults(x -> Fault.NEVER);
        JsonNode lateOrder = phone.createOrder(30, "alipay");
        String late = lateOrder.path("out_trade_no").asText();
        http.send(HttpRequest.newBuilder(URI.create(lateOrder.path("pay_url").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(phone.order(late).path("state").asText()).isEqualTo("CREATED");
        clock.advance(Duration.ofMinutes(16));
        app.topUps().sweep();
        assertThat(app.topUps().orders().find(late).orElseThrow().state()).isEqualTo(TopUpOrders.State.CLOSED);
        SimulatedProvider.Order registered = alipay.order(late);
        assertThat(registered.state).isEqualTo("CLOSED");
        registered.state = "SUCCESS";
        registered.tradeNo = "2026LATE";
        registered.paidAt = clock.instant();
        HttpResponse<String> lateReply = send(alipay.notification(registered, 3_000, false));
        assertThat(lateReply.statusCode()).isEqualTo(409);
        assertThat(lateReply.body()).contains("NOTIFY_ORDER_CLOSED");
        SimulatedProvider.Order notOurs = alipay.register("T-NOT-OURS", 100, registered.notifyUrl, clock.instant());
        notOurs.tradeNo = "2026NOTOURS";
        notOurs.paidAt = clock.instant();
        HttpResponse<String> unknown = send(alipay.notification(notOurs, 100, false));
        assertThat(unknown.statusCode()).isIn(400, 404);
        assertThat(cash()).isEqualTo(6_000);

        JsonNode ali = phone.createOrder(60, "alipay");
        http.send(HttpRequest.newBuilder(URI.create(ali.path("pay_url").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(alipay.pay(ali.path("out_trade_no").asText())).isTrue();
        HttpResponse<String> forgedAli = send(alipay.notification(alipay.order(ali.path("out_trade_no").asText()), 6_000,
                true));
        assertThat(forgedAli.statusCode()).isEqualTo(401);
        assertThat(forgedAli.body()).contains("NOTIFY_BAD_SIGNATURE");
        assertThat(cash()).as("a forged Alipay notification credits nothing").isEqualTo(6_000);
        assertThat(app.topUps().orders().notificationOutcomes()).containsKeys("NOTIFY_BAD_SIGNATURE",
                "NOTIFY_AMOUNT_MISMATCH", "NOTIFY_STALE", "NOTIFY_ORDER_CLOSED", "CREDITED", "DUPLICATE");

        Reconciliation.Run run = app.reconciliation().run(app.topUps().provider("alipay").orElseThrow(),
                LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")));
        assertThat(run.differences()).extracting(Reconciliation.Difference::outTradeNo).contains(late);
        assertThat(run.differences()).extracting(Reconciliation.Difference::kind)
                .contains(Reconciliation.Kind.NOT_IN_LEDGER);
    }

    @Test
    void anOrderNeverNotifiedIsQueriedAndAnUnpaidOneClosesAtTheProviderToo() {
        wechat.faults(no -> Fault.NEVER);
        String paid = phone.createOrder(20, "wechat").path("out_trade_no").asText();
        String unpaid = phone.createOrder(40, "wechat").path("out_trade_no").asText();
        assertThat(wechat.pay(paid)).isTrue();
        assertThat(app.topUps().orders().find(paid).orElseThrow().state()).isEqualTo(TopUpOrders.State.CREATED);
        clock.advance(Duration.ofMinutes(2));
        app.topUps().sweep();
        assertThat(app.topUps().orders().find(paid).orElseThrow().state()).isEqualTo(TopUpOrders.State.PAID);
        assertThat(app.topUps().orders().find(paid).orElseThrow().creditedBy()).isEqualTo("query");
        assertThat(app.topUps().orders().find(unpaid).orElseThrow().state()).isEqualTo(TopUpOrders.State.CREATED);
        clock.advance(Duration.ofMinutes(14));
        app.topUps().sweep();
        assertThat(app.topUps().orders().find(unpaid).orElseThrow().state()).isEqualTo(TopUpOrders.State.CLOSED);
        assertThat(wechat.order(unpaid).state).isEqualTo("CLOSED");
        assertThat(wechat.pay(unpaid)).as("the provider refuses to take money for a closed order").isFalse();
        assertThat(cash()).isEqualTo(3_000);

        Reconciliation.Run run;
        try {
            run = app.reconciliation().run(app.topUps().provider("wechat").orElseThrow(),
                    LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(run.clean()).as(run.differences().toString()).isTrue();
        assertThat(run.statementFen()).isEqualTo(2_000);
        assertThat(run.ledgerFen()).isEqualTo(2_000);
    }

    @Test
    void anOrderOfAnotherStudentIsNotFound() {
        String mine = phone.createOrder(20, "alipay").path("out_trade_no").asText();
        ledger.accounts().open(20260002, new byte[] {9, 9, 9, 9}, 1, "Li Lei", 0, 0, "", 0);
        app.users().enrolStudent(20260002, "2026000202");
        clock.advance(Duration.ofMinutes(2));
        StudentApp other = new StudentApp(URI.create("http://127.0.0.1:" + app.port()),
                new SmsInbox(dir.resolve("sms.log")), "13900139000");
        assertThat(other.firstLogin("2026000202", "111111", "dorm2026pw").path("http_status").asInt()).isEqualTo(200);
        JsonNode r = other.order(mine);
        assertThat(r.path("http_status").asInt()).isEqualTo(404);
        assertThat(r.path("code").asText()).isEqualTo("ORDER_NOT_FOUND");
    }
}
