package com.onecard.pos.sim.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.app.AppService;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.identity.FileSmsSink;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.center.ledger.Accounts;
import com.onecard.pos.center.topup.PaymentProvider;
import com.onecard.pos.center.topup.ProviderException;
import com.onecard.pos.center.topup.Reconciliation;
import com.onecard.pos.center.topup.TopUpOrders;
import com.onecard.pos.sim.Student;
import com.onecard.pos.sim.Verdict;
import com.onecard.pos.sim.pay.ProviderKeys;
import com.onecard.pos.sim.pay.SimulatedAlipay;
import com.onecard.pos.sim.pay.SimulatedProvider;
import com.onecard.pos.sim.pay.SimulatedWechatPay;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The campus app's side of a simulation: the two simulated payment providers (each with its own
 * keys and a reproducible mix of faults), the SMS sink the phones read, the service's
 * configuration, one phone per student that logs in the real way, and the verdict's invariants
 * on money paid through the providers.
 */
public final class CampusApp implements AutoCloseable {
    private final SimulatedWechatPay wechat;
    private final SimulatedAlipay alipay;
    private final SmsInbox inbox;
    private final Path smsFile;
    private final Map<Long, StudentApp> phones = new ConcurrentHashMap<>();
    private final Clock clock;

    private CampusApp(SimulatedWechatPay wechat, SimulatedAlipay alipay, Path smsFile, Clock clock) {
        this.wechat = wechat;
        this.alipay = alipay;
        this.smsFile = smsFile;
        this.inbox = new SmsInbox(smsFile);
        this.clock = clock;
    }

    /** Keys under {@code dir}, both providers started with the fault mix of {@code seed}. */
    public static CampusApp start(Path dir, long seed, Clock clock) throws IOException {
        SimulatedWechatPay w = new SimulatedWechatPay(ProviderKeys.generate(dir.resolve("pay"), "wechat"), clock);
        SimulatedAlipay a = new SimulatedAlipay(ProviderKeys.generate(dir.resolve("pay"), "alipay"), clock);
        w.start();
        a.start();
        w.faults(SimulatedProvider.mix(seed));
        a.faults(SimulatedProvider.mix(seed + 1));
        return new CampusApp(w, a, dir.resolve("sms.log"), clock);
    }

    /**
     * The service's configuration for this simulation: both providers, the file SMS sink, a
     * shared token secret, a per-address code limit lifted (every phone here is 127.0.0.1), orders
     * queried after 2 s and swept every second so a lost notification shows up within the run.
     */
    public AppServiceConfig config() throws IOException {
        AppServiceConfig d = AppServiceConfig.defaults();
        return d.withTokenSecret(new SecureRandom().generateSeed(32))
                .withSms(new FileSmsSink(smsFile, clock))
                .withProviders(wechat.centerConfig(), alipay.centerConfig())
                .withLimits(SmsCodes.Limits.defaults().withPerAddressPerHour(100_000), d.loginPolicies())
                .withOrderTiming(Duration.ofMinutes(15), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    public SimulatedWechatPay wechat() {
        return wechat;
    }

    public SimulatedAlipay alipay() {
        return alipay;
    }

    public List<SimulatedProvider> providers() {
        return List.of(wechat, alipay);
    }

    public SmsInbox inbox() {
        return inbox;
    }

    /** Enrols each card holder in the unified identity (student number, national ID on file). */
    public void enrol(AppService app, Accounts accounts, List<Student> students) {
        for (Student s : students) {
            accounts.setNationalId(s.accountId(), s.nationalId());
            app.users().enrolStudent(s.accountId(), s.studentNumber());
        }
    }

    /**
     * Every student's first login on their phone, as the manual has it: SMS code, student number
     * and initial password, the forced change. A few phones at a time. Returns the failures.
     */
    public List<String> loginAll(URI base, List<Student> students, PrintStream out) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            List<Future<String>> done = new ArrayList<>();
            for (Student s : students) {
                done.add(pool.submit(() -> {
                    StudentApp phone = new StudentApp(base, inbox, s.phone());
                    JsonNode r = phone.firstLogin(s.studentNumber(), s.initialPassword(), s.appPassword());
                    if (r.path("http_status").asInt() != 200) {
                        return s.studentNumber() + ": " + r.path("code").asText() + " " + r.path("message").asText();
                    }
                    phones.put(s.accountId(), phone);
                    return null;
                }));
            }
            for (Future<String> f : done) {
                String problem = f.get();
                if (problem != null) {
                    failures.add(problem);
                }
            }
        } catch (Exception e) {
            failures.add("logging in: " + e);
        } finally {
            pool.shutdownNow();
        }
        out.printf("app         %d of %d students logged in (SMS code, initial password, forced change) in %.1f s%n",
                phones.size(), students.size(), (System.nanoTime() - t0) / 1e9);
        return failures;
    }

    public StudentApp phone(Student s) {
        StudentApp p = phones.get(s.accountId());
        if (p == null) {
            throw new IllegalStateException("student " + s.studentNumber() + " is not logged in");
        }
        return p;
    }

    /** The center's app service moved to another port. */
    public void moved(URI base) {
        phones.values().forEach(p -> p.base(base));
    }

    /**
     * The money invariants of the app: every order the provider collected is PAID in the ledger
     * and credited by exactly one TOP_UP movement; no order the provider did not collect is
     * credited; each provider's statement of each day equals the ledger (reconciliation clean).
     */
    public void verify(Verdict verdict, AppService app, Accounts accounts) {
        TopUps topUps = new TopUps(app);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && !topUps.settled(providers())) {
            app.topUps().sweep();
            pause(100);
        }
        boolean once = true;
        boolean noneUnpaid = true;
        int paid = 0;
        Set<LocalDate> days = new TreeSet<>();
        for (TopUpOrders.Order o : app.topUps().orders().all()) {
            SimulatedProvider p = o.channel().equals("wechat") ? wechat : alipay;
            SimulatedProvider.Order po = p.order(o.outTradeNo());
            boolean collected = po != null && po.paid();
            long credits = accounts.movements(o.accountId()).stream()
                    .filter(m -> m.kind().equals("TOP_UP") && (o.channel() + ":" + o.outTradeNo()).equals(m.channel()))
                    .count();
            if (collected) {
                paid++;
                days.add(LocalDate.ofInstant(po.paidAt, ZoneId.of("Asia/Shanghai")));
                if (o.state() != TopUpOrders.State.PAID || credits != 1) {
                    once = false;
                    verdict.problems.add("order " + o.outTradeNo() + " collected by " + o.channel() + " is " + o.state()
                            + " with " + credits + " credits");
                }
            } else if (credits != 0 || o.state() == TopUpOrders.State.PAID) {
                noneUnpaid = false;
                verdict.problems.add("order " + o.outTradeNo() + " not collected but " + o.state() + " with " + credits
                        + " credits");
            }
        }
        boolean clean = true;
        for (SimulatedProvider sp : providers()) {
            PaymentProvider p = app.topUps().provider(sp.channel()).orElseThrow();
            for (LocalDate day : days) {
                try {
                    Reconciliation.Run run = app.reconciliation().run(p, day);
                    if (!run.clean()) {
                        clean = false;
                        verdict.problems.add(sp.channel() + " " + day + ": " + run.differences());
                    }
                } catch (ProviderException e) {
                    clean = false;
                    verdict.problems.add(sp.channel() + " statement of " + day + ": " + e.getMessage());
                }
            }
        }
        verdict.figures.put("orders_paid", paid);
        verdict.figures.put("notifications", app.topUps().orders().notificationOutcomes());
        verdict.check("every_paid_order_credited_once", once, "see problems");
        verdict.check("no_unpaid_order_credited", noneUnpaid, "see problems");
        verdict.check("provider_statement_equals_ledger", clean, "see problems");
    }

    /** Whether every collected order is PAID at the center (lost notifications are found by queries). */
    private record TopUps(AppService app) {
        boolean settled(List<SimulatedProvider> providers) {
            for (SimulatedProvider p : providers) {
                for (SimulatedProvider.Order po : p.orders()) {
                    if (po.paid() && app.topUps().orders().find(po.outTradeNo)
                            .map(o -> o.state() != TopUpOrders.State.PAID).orElse(true)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        wechat.close();
        alipay.close();
    }

}
