package com.onecard.pos.sim.pay;

import com.onecard.pos.center.topup.PaymentProvider;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What a laptop lacks of a payment provider: an HTTP server on loopback that takes orders from
 * the card center, lets a simulated student pay them, and sends the center signed asynchronous
 * notifications (retried until acknowledged, as real providers do), with injectable faults; it
 * answers order queries and closes and writes the daily statement. Each subclass speaks one
 * provider's dialect with its own key pair.
 */
public abstract class SimulatedProvider implements AutoCloseable {
    /** One order as the provider sees it. */
    public static final class Order {
        public final String outTradeNo;
        public final long amountFen;
        public final String notifyUrl;
        public final Instant expires;
        public volatile String state = "NOTPAY";
        public volatile String tradeNo;
        public volatile Instant paidAt;
        final AtomicInteger notificationsSent = new AtomicInteger();

        Order(String outTradeNo, long amountFen, String notifyUrl, Instant expires) {
            this.outTradeNo = outTradeNo;
            this.amountFen = amountFen;
            this.notifyUrl = notifyUrl;
            this.expires = expires;
        }

        public boolean paid() {
            return state.equals("SUCCESS");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SimulatedProvider.class);
    static final ZoneId CST = ZoneId.of("Asia/Shanghai");
    private static final long[] RETRY_MS = {100, 300, 1_000, 3_000};

    protected final ProviderKeys keys;
    protected final Clock clock;
    protected final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService notifier;
    private final AtomicLong tradeCounter = new AtomicLong(1);
    private final AtomicInteger delivered = new AtomicInteger();
    private volatile Function<String, Fault> faults = no -> Fault.NONE;
    private Javalin server;

    protected SimulatedProvider(ProviderKeys keys, Clock clock, String threadName) {
        this.keys = keys;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.notifier = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, threadName + "-notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The channel the center knows this provider by: "wechat" or "alipay". */
    public abstract String channel();

    protected abstract void routes(JavalinConfig config);

    /** The notification for a paid order, signed, or with a broken signature when {@code forge}. */
    protected abstract HttpRequest notification(Order o, boolean forge);

    /** True when the center's reply is the acknowledgement this provider expects. */
    protected abstract boolean acknowledged(HttpResponse<String> reply);

    /** The URL the center's order creation returns for the student's browser. */
    public abstract String payPageOf(String outTradeNo);

    public final SimulatedProvider start() {
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            routes(config);
        }).start("127.0.0.1", 0);
        return this;
    }

    public int port() {
        return server.port();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Which fault each order gets (by out_trade_no); default none. */
    public void faults(Function<String, Fault> plan) {
        this.faults = plan;
    }

    /** A reproducible mix: mostly fine, each fault now and then. */
    public static Function<String, Fault> mix(long seed) {
        return no -> {
            int roll = new Random(seed ^ no.hashCode()).nextInt(100);
            if (roll < 55) {
                return Fault.NONE;
            }
            return roll < 67 ? Fault.DUPLICATE : roll < 79 ? Fault.BEFORE_REDIRECT : roll < 90 ? Fault.NEVER
                    : Fault.BAD_SIGNATURE;
        };
    }

    protected Order register(String outTradeNo, long amountFen, String notifyUrl, Instant expires) {
        return orders.computeIfAbsent(outTradeNo, k -> new Order(outTradeNo, amountFen, notifyUrl, expires));
    }

    public Order order(String outTradeNo) {
        return orders.get(outTradeNo);
    }

    public List<Order> orders() {
        return new ArrayList<>(orders.values());
    }

    /** Notifications the center acknowledged. */
    public int delivered() {
        return delivered.get();
    }

    /**
     * The student confirms payment on the provider's page. Returns false when the order cannot
     * be paid (unknown, closed, expired). The notification goes out according to the order's fault.
     */
    public boolean pay(String outTradeNo) {
        Order o = orders.get(outTradeNo);
        if (o == null) {
            return false;
        }
        synchronized (o) {
            if (!o.state.equals("NOTPAY") || !clock.instant().isBefore(o.expires)) {
                return o.paid();
            }
            o.state = "SUCCESS";
            o.tradeNo = tradePrefix() + String.format("%016d", tradeCounter.getAndIncrement());
            o.paidAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
        switch (faults.apply(outTradeNo)) {
            case NONE -> notifier.execute(() -> deliver(o, false));
            case DUPLICATE -> notifier.execute(() -> {
                deliver(o, false);
                deliver(o, false);
                deliver(o, false);
            });
            case BEFORE_REDIRECT -> deliver(o, false);
            case NEVER -> log.debug("{}: no notification for {}", channel(), outTradeNo);
            case BAD_SIGNATURE -> notifier.execute(() -> {
                send(o, true);
                deliver(o, false);
            });
        }
        return true;
    }

    protected abstract String tradePrefix();

    /** Sends until acknowledged (at most a few tries). */
    private void deliver(Order o, boolean forge) {
        for (int attempt = 0; attempt <= RETRY_MS.length; attempt++) {
            if (send(o, forge)) {
                delivered.incrementAndGet();
                return;
            }
            if (attempt < RETRY_MS.length) {
                try {
                    Thread.sleep(RETRY_MS[attempt]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        log.warn("{}: the center never acknowledged the notification of {}", channel(), o.outTradeNo);
    }

    private boolean send(Order o, boolean forge) {
        o.notificationsSent.incrementAndGet();
        try {
            HttpResponse<String> r = http.send(notification(o, forge), HttpResponse.BodyHandlers.ofString());
            return acknowledged(r);
        } catch (IOException e) {
            log.debug("{}: notification of {} failed: {}", channel(), o.outTradeNo, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes an unpaid order; false when it was paid. */
    protected boolean closeOrder(String outTradeNo) {
        Order o = orders.get(outTradeNo);
        if (o == null) {
            return true;
        }
        synchronized (o) {
            if (o.paid()) {
                return false;
            }
            o.state = "CLOSED";
            return true;
        }
    }

    /** The statement of {@code day}: every order paid on it (China Standard Time). */
    protected List<PaymentProvider.StatementLine> statement(LocalDate day) {
        List<PaymentProvider.StatementLine> out = new ArrayList<>();
        for (Order o : orders.values()) {
            if (o.paid() && LocalDate.ofInstant(o.paidAt, CST).equals(day)) {
                out.add(new PaymentProvider.StatementLine(o.outTradeNo, o.tradeNo, o.amountFen, o.paidAt));
            }
        }
        out.sort(java.util.Comparator.comparing(PaymentProvider.StatementLine::outTradeNo));
        return out;
    }

    @Override
    public void close() {
        notifier.shutdownNow();
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (server != null) {
            server.stop();
        }
    }
}
