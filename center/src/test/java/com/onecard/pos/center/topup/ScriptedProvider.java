package com.onecard.pos.center.topup;

import com.onecard.pos.center.app.error.AppError;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written provider for the interleaving property: it has collected the orders in
 * {@code paid}; a notification body is {@code out_trade_no|amount_fen|trade_no} (signatures are
 * the adapters' tests' business, interleavings are this one's); queries and closes answer
 * from {@code paid} as a real provider would (an order it collected cannot be closed).
 */
final class ScriptedProvider implements PaymentProvider {
    final Set<String> paid = ConcurrentHashMap.newKeySet();
    final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    ScriptedProvider(Clock clock) {
        this.clock = clock;
    }

    static byte[] notification(String outTradeNo, long fen) {
        return (outTradeNo + "|" + fen + "|W" + outTradeNo).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String channel() {
        return "wechat";
    }

    @Override
    public String createOrder(OrderRequest order) {
        return "http://provider.invalid/pay/" + order.outTradeNo();
    }

    @Override
    public Notice readNotification(Map<String, String> headers, byte[] body) {
        String[] f = new String(body, StandardCharsets.UTF_8).split("\\|");
        if (f.length != 3) {
            throw AppError.NOTIFY_MALFORMED.with("scripted notification needs three fields");
        }
        return new Notice(f[0], f[2], Long.parseLong(f[1]), clock.instant(), "n-" + f[0]);
    }

    @Override
    public Ack ack() {
        return new Ack(204, "application/json", new byte[0]);
    }

    @Override
    public Query query(String outTradeNo) {
        return paid.contains(outTradeNo) ? new Query(TradeState.PAID, "W" + outTradeNo, amountOf(outTradeNo),
                clock.instant()) : new Query(closed.contains(outTradeNo) ? TradeState.CLOSED : TradeState.NOT_PAID,
                null, 0, null);
    }

    /** Amounts are encoded in the order's yuan by the property: looked up by the test. */
    final Map<String, Long> amounts = new ConcurrentHashMap<>();

    private long amountOf(String outTradeNo) {
        return amounts.getOrDefault(outTradeNo, 0L);
    }

    @Override
    public TradeState close(String outTradeNo) {
        if (paid.contains(outTradeNo)) {
            return TradeState.PAID;
        }
        closed.add(outTradeNo);
        return TradeState.CLOSED;
    }

    @Override
    public List<StatementLine> statement(LocalDate day) {
        return paid.stream().map(no -> new StatementLine(no, "W" + no, amountOf(no), Instant.EPOCH)).toList();
    }
}
