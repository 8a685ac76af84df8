package com.onecard.pos.center.topup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A payment provider as the center uses it (the port; {@link WechatPayV3} and {@link Alipay} are
 * the adapters, the simulator carries a simulated provider of each style). The provider takes
 * the student's money; the center learns of it from the provider's signed asynchronous
 * notification, or from an order query when no notification came, and credits the order once.
 * Implementations hold the merchant's private key and the provider's public key; neither is
 * ever logged.
 */
public interface PaymentProvider {
    /** What the center asks the provider to collect. */
    record OrderRequest(String outTradeNo, long amountFen, String description, Instant expires, String notifyUrl,
                        String clientAddress) {
    }

    /** A verified notification: the provider says this order was paid (amount in fen). */
    record Notice(String outTradeNo, String providerTradeNo, long amountFen, Instant paidAt, String notificationId) {
    }

    enum TradeState { PAID, NOT_PAID, CLOSED }

    /** An order query's answer; trade number, amount and time only when PAID. */
    record Query(TradeState state, String providerTradeNo, long amountFen, Instant paidAt) {
    }

    /** One paid order in the provider's daily statement. */
    record StatementLine(String outTradeNo, String providerTradeNo, long amountFen, Instant paidAt) {
    }

    /** The reply the provider expects when its notification was taken. */
    record Ack(int status, String contentType, byte[] body) {
    }

    /** "wechat" or "alipay": the channel the app names. */
    String channel();

    /** Creates the order at the provider; returns the URL the student's browser goes to to pay. */
    String createOrder(OrderRequest order) throws ProviderException;

    /**
     * Verifies and reads a notification as it arrived (header names lower-case, the raw body).
     * Refusal NOTIFY_BAD_SIGNATURE, NOTIFY_STALE, NOTIFY_MALFORMED or NOTIFY_NOT_PAID.
     */
    Notice readNotification(Map<String, String> headers, byte[] body);

    /** The reply to a notification that was taken (credited now or before). */
    Ack ack();

    Query query(String outTradeNo) throws ProviderException;

    /** Closes an unpaid order; PAID when the provider says it was paid meanwhile (then query it). */
    TradeState close(String outTradeNo) throws ProviderException;

    /** Every order the provider collected on {@code day} (China Standard Time). */
    List<StatementLine> statement(LocalDate day) throws ProviderException;
}
