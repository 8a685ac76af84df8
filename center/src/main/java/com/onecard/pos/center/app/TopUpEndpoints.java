package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.topup.PaymentProvider;
import com.onecard.pos.center.topup.TopUpOrders;
import com.onecard.pos.center.topup.TopUps;

import java.time.Instant;
import java.util.List;

/** Top-up orders for the logged-in student, and the providers' notifications. */
final class TopUpEndpoints {
    private final TopUps topUps;

    TopUpEndpoints(TopUps topUps) {
        this.topUps = topUps;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/topups", Access.STUDENT, this::create),
                new Route("GET", "/api/v1/topups", Access.STUDENT, this::list),
                new Route("GET", "/api/v1/topups/{out_trade_no}", Access.STUDENT, this::status),
                new Route("POST", "/api/v1/pay/notify/wechat", Access.PROVIDER, c -> notification(c, "wechat")),
                new Route("POST", "/api/v1/pay/notify/alipay", Access.PROVIDER, c -> notification(c, "alipay")));
    }

    private JsonNode create(Call c) {
        JsonNode b = c.body();
        TopUps.Created created = topUps.create(c.caller().userId(), c.accountId(), Fields.whole(b, "yuan"),
                Fields.text(b, "channel"), c.clientAddress());
        return order(c, created.order()).put("pay_url", created.payUrl());
    }

    private JsonNode status(Call c) {
        return order(c, topUps.status(c.accountId(), c.path("out_trade_no")));
    }

    private JsonNode list(Call c) {
        ObjectNode out = c.json().createObjectNode();
        ArrayNode items = out.putArray("items");
        for (TopUpOrders.Order o : topUps.orders().ofAccount(c.accountId(), c.queryInt("limit", 20, 1, 100))) {
            items.add(order(c, o));
        }
        return out;
    }

    private Reply notification(Call c, String channel) {
        PaymentProvider.Ack ack = topUps.notification(channel, c.headers(), c.rawBody());
        return new Reply(ack.status(), ack.contentType(), ack.body());
    }

    static ObjectNode order(Call c, TopUpOrders.Order o) {
        ObjectNode n = c.json().createObjectNode().put("out_trade_no", o.outTradeNo()).put("channel", o.channel())
                .put("amount_fen", o.amountFen()).put("yuan", Yuan.of(o.amountFen())).put("state", o.state().name())
                .put("created_at", Instant.ofEpochMilli(o.createdMs()).toString())
                .put("expires_at", Instant.ofEpochMilli(o.expiresMs()).toString());
        if (o.paidMs() != null) {
            n.put("paid_at", Instant.ofEpochMilli(o.paidMs()).toString());
        }
        return n;
    }

}
