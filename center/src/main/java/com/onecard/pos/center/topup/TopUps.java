package com.onecard.pos.center.topup;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Top-ups the way real providers work: the app asks for an order (whole yuan, 1 to 1000, by
 * WeChat Pay or Alipay), the student pays at the provider, the provider's signed notification
 * credits it once; an order with no notification is queried; an order not paid in time is
 * closed at the provider, then here. Each notification is logged whatever became of it.
 */
public final class TopUps {
    /**
     * @param orderTimeout  how long the student has to pay (the provider is told the same expiry)
     * @param queryAfter    an unpaid order older than this is queried (the notification may never come)
     * @param queryEvery    at most one query per order this often
     * @param notifyBaseUrl the center's public base URL; notifications go to {@code <base>/api/v1/pay/notify/<channel>}
     */
    public record Settings(Duration orderTimeout, Duration queryAfter, Duration queryEvery, String notifyBaseUrl) {
        public static Settings defaults(String notifyBaseUrl) {
            return new Settings(Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofSeconds(30), notifyBaseUrl);
        }
    }

    public static final long MAX_YUAN = 1000;
    private static final Logger log = LoggerFactory.getLogger(TopUps.class);

    private final TopUpOrders orders;
    private final Map<String, PaymentProvider> providers;
    private final Clock clock;
    private volatile Settings settings;

    public TopUps(TopUpOrders orders, Map<String, PaymentProvider> providers, Clock clock, Settings settings) {
        this.orders = orders;
        this.providers = Map.copyOf(providers);
        this.clock = clock;
        this.settings = settings;
    }

    public TopUpOrders orders() {
        return orders;
    }

    public Map<String, PaymentProvider> providers() {
        return providers;
    }

    /** The base URL becomes known once the HTTP port is bound (port 0 in tests and the simulator). */
    public void notifyBaseUrl(String base) {
        Settings s = settings;
        settings = new Settings(s.orderTimeout(), s.queryAfter(), s.queryEvery(), base);
    }

    /** A created order and where the student pays it. */
    public record Created(TopUpOrders.Order order, String payUrl) {
    }

    /**
     * Creates an order of {@code yuan} whole yuan. Refusals: BAD_FIELD (yuan, channel),
     * CHANNEL_UNAVAILABLE (no such provider configured), PROVIDER_FAILED (the order is closed).
     */
    public Created create(long userId, long accountId, long yuan, String channel, String clientAddress) {
        if (yuan < 1 || yuan > MAX_YUAN) {
            throw Refusal.badField("yuan", "must be from 1 to " + MAX_YUAN + " whole yuan, got " + yuan);
        }
        if (!channel.equals("wechat") && !channel.equals("alipay")) {
            throw Refusal.badField("channel", "must be wechat or alipay, got '" + channel + "'");
        }
        PaymentProvider p = providers.get(channel);
        if (p == null) {
            throw AppError.CHANNEL_UNAVAILABLE.with(channel + " is not configured on this card center");
        }
        Settings s = settings;
        TopUpOrders.Order o = orders.create(userId, accountId, channel, yuan * 100, s.orderTimeout());
        try {
            String url = p.createOrder(new PaymentProvider.OrderRequest(o.outTradeNo(), o.amountFen(),
                    "校园一卡通充值 campus card top-up " + yuan + " yuan", Instant.ofEpochMilli(o.expiresMs()),
                    s.notifyBaseUrl() + "/api/v1/pay/notify/" + channel, clientAddress));
            return new Created(o, url);
        } catch (ProviderException e) {
            orders.close(o.outTradeNo());
            log.warn("{} refused order {}: {}", channel, o.outTradeNo(), e.getMessage());
            throw AppError.PROVIDER_FAILED.with(channel + " could not create the order: " + e.getMessage());
        }
    }

    /**
     * The order as its owner sees it; a CREATED one is queried at the provider first (at most
     * once per {@code queryEvery}), so a student back from the provider's page sees it paid
     * even when the notification is late or lost. ORDER_NOT_FOUND for another account's order.
     */
    public TopUpOrders.Order status(long accountId, String outTradeNo) {
        TopUpOrders.Order o = orders.find(outTradeNo).filter(x -> x.accountId() == accountId)
                .orElseThrow(() -> AppError.ORDER_NOT_FOUND.with("no top-up order " + outTradeNo + " of this account"));
        if (o.state() == TopUpOrders.State.CREATED && orders.claimQuery(outTradeNo, settings.queryEvery())) {
            lookAt(o);
            return orders.find(outTradeNo).orElseThrow();
        }
        return o;
    }

    /**
     * A provider's notification: verified, settled, logged. Returns the provider's expected
     * acknowledgement; a Refusal (logged too) makes the provider send it again later.
     */
    public PaymentProvider.Ack notification(String channel, Map<String, String> headers, byte[] body) {
        PaymentProvider p = providers.get(channel);
        if (p == null) {
            throw AppError.CHANNEL_UNAVAILABLE.with(channel + " is not configured on this card center");
        }
        PaymentProvider.Notice n;
        try {
            n = p.readNotification(headers, body);
        } catch (Refusal r) {
            orders.logNotification(channel, null, null, r.error().name(), r.getMessage());
            log.warn("{} notification refused: {} {}", channel, r.error(), r.getMessage());
            throw r;
        }
        try {
            TopUpOrders.Settled s = orders.settle(channel, n.outTradeNo(), n.providerTradeNo(), n.amountFen(), n.paidAt(),
                    "notification");
            orders.logNotification(channel, n.outTradeNo(), n.notificationId(), s.name(),
                    n.amountFen() + " fen, trade " + n.providerTradeNo());
            return p.ack();
        } catch (Refusal r) {
            orders.logNotification(channel, n.outTradeNo(), n.notificationId(), r.error().name(), r.getMessage());
            log.warn("{} notification for {} refused: {} {}", channel, n.outTradeNo(), r.error(), r.getMessage());
            throw r;
        }
    }

    /**
     * One pass over orders due for a look: query each; credit the paid ones, close the expired
     * unpaid ones at the provider and here. Returns how many orders it looked at. Safe on
     * several instances at once.
     */
    public int sweep() {
        Settings s = settings;
        int n = 0;
        for (TopUpOrders.Order o : orders.takeDue(s.queryAfter(), s.queryEvery(), 100)) {
            lookAt(o);
            n++;
        }
        return n;
    }

    private void lookAt(TopUpOrders.Order o) {
        PaymentProvider p = providers.get(o.channel());
        if (p == null) {
            return;
        }
        try {
            PaymentProvider.Query q = p.query(o.outTradeNo());
            if (q.state() == PaymentProvider.TradeState.PAID) {
                settleFromQuery(o, q);
                return;
            }
            if (o.expiresMs() > clock.millis()) {
                return;
            }
            if (p.close(o.outTradeNo()) == PaymentProvider.TradeState.PAID) {
                settleFromQuery(o, p.query(o.outTradeNo()));
                return;
            }
            orders.close(o.outTradeNo());
            log.info("top-up order {} ({} fen, {}) closed unpaid", o.outTradeNo(), o.amountFen(), o.channel());
        } catch (ProviderException e) {
            log.warn("looking at order {} at {}: {}", o.outTradeNo(), o.channel(), e.getMessage());
        }
    }

    private void settleFromQuery(TopUpOrders.Order o, PaymentProvider.Query q) {
        if (q.state() != PaymentProvider.TradeState.PAID) {
            return;
        }
        try {
            orders.settle(o.channel(), o.outTradeNo(), q.providerTradeNo(), q.amountFen(), q.paidAt(), "query");
        } catch (Refusal r) {
            log.warn("query of {} says paid but it was refused: {} {}", o.outTradeNo(), r.error(), r.getMessage());
        }
    }

    public Optional<PaymentProvider> provider(String channel) {
        return Optional.ofNullable(providers.get(channel));
    }
}
