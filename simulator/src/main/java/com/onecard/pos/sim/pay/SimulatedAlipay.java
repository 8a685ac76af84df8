package com.onecard.pos.sim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.topup.Alipay;
import com.onecard.pos.center.topup.Rsa;
import com.onecard.pos.center.topup.StatementCsv;
import com.onecard.pos.center.topup.YuanText;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A simulated Alipay (open API gateway, mobile-web payments): checks the merchant's RSA2
 * signatures on the payment URL and on API calls, signs its API replies and its form-encoded
 * asynchronous notifications with its own key. The student's "Alipay" is the gateway page the
 * payment URL opens, then {@code /sim/pay/<out_trade_no>/confirm}.
 */
public final class SimulatedAlipay extends SimulatedProvider {
    public static final String APP_ID = "2021000000000001";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ObjectMapper json = new ObjectMapper();

    public SimulatedAlipay(ProviderKeys keys, Clock clock) {
        super(keys, clock, "sim-alipay");
    }

    @Override
    public String channel() {
        return "alipay";
    }

    @Override
    protected String tradePrefix() {
        return "2026";
    }

    public Alipay.Config centerConfig() throws IOException {
        return new Alipay.Config(URI.create(base() + "/gateway.do"), APP_ID, Rsa.privateKey(keys.merchantKeyFile()),
                Rsa.publicKey(keys.providerPublicKeyFile()));
    }

    @Override
    public String payPageOf(String outTradeNo) {
        return base() + "/sim/pay/" + outTradeNo;
    }

    @Override
    protected void routes(JavalinConfig config) {
        config.routes.get("/gateway.do", ctx -> {
            Map<String, String> p = params(ctx.queryString());
            if (!merchantSigned(p) || !"alipay.trade.wap.pay".equals(p.get("method"))) {
                ctx.status(400).json(Map.of("error", "invalid-signature or method"));
                return;
            }
            JsonNode biz = json.readTree(p.get("biz_content"));
            String no = biz.path("out_trade_no").asText();
            register(no, YuanText.parse(biz.path("total_amount").asText()), p.get("notify_url"),
                    LocalDateTime.parse(biz.path("time_expire").asText(), TIME).atZone(CST).toInstant());
            Order o = order(no);
            if (CashierPage.browser(ctx)) {
                CashierPage.show(ctx, "支付宝", o, "/sim/pay/" + no + "/confirm");
                return;
            }
            ctx.json(Map.of("out_trade_no", no, "amount_fen", o.amountFen, "state", o.state,
                    "confirm_url", payPageOf(no) + "/confirm"));
        });
        config.routes.post("/gateway.do", ctx -> {
            Map<String, String> p = params(ctx.body());
            String method = String.valueOf(p.get("method"));
            ObjectNode r = json.createObjectNode();
            if (!merchantSigned(p)) {
                r.put("code", "40002").put("msg", "Invalid Arguments").put("sub_code", "isv.invalid-signature");
            } else {
                JsonNode biz = json.readTree(p.get("biz_content"));
                switch (method) {
                    case "alipay.trade.query" -> query(r, order(biz.path("out_trade_no").asText()));
                    case "alipay.trade.close" -> close(r, biz.path("out_trade_no").asText());
                    case "alipay.data.dataservice.bill.downloadurl.query" -> r.put("code", "10000").put("msg", "Success")
                            .put("bill_download_url", base() + "/sim/bill/" + biz.path("bill_date").asText() + ".csv");
                    default -> r.put("code", "40004").put("msg", "Business Failed").put("sub_code", "isv.invalid-method");
                }
            }
            String object = r.toString();
            String key = method.replace('.', '_') + "_response";
            ctx.contentType("application/json; charset=utf-8").result("{\"" + key + "\":" + object + ",\"sign\":\""
                    + Rsa.sign(keys.providerKey(), object) + "\"}");
        });
        config.routes.get("/sim/bill/{day}", ctx -> ctx.contentType("text/csv")
                .result(StatementCsv.write(statement(LocalDate.parse(ctx.pathParam("day").replace(".csv", ""))))));
        config.routes.get("/sim/pay/{no}", ctx -> {
            Order o = order(ctx.pathParam("no"));
            ctx.json(o == null ? Map.of("error", "no such order") : Map.of("out_trade_no", o.outTradeNo,
                    "amount_fen", o.amountFen, "state", o.state));
        });
        config.routes.post("/sim/pay/{no}/confirm", ctx -> {
            boolean paid = pay(ctx.pathParam("no"));
            Order o = order(ctx.pathParam("no"));
            if (CashierPage.browser(ctx) && o != null) {
                CashierPage.afterConfirm(ctx, "支付宝", o, paid);
                return;
            }
            ctx.status(paid ? 200 : 409);
        });
    }

    private void query(ObjectNode r, Order o) {
        if (o == null) {
            r.put("code", "40004").put("msg", "Business Failed").put("sub_code", "ACQ.TRADE_NOT_EXIST");
            return;
        }
        r.put("code", "10000").put("msg", "Success").put("out_trade_no", o.outTradeNo)
                .put("trade_status", switch (o.state) {
                    case "SUCCESS" -> "TRADE_SUCCESS";
                    case "CLOSED" -> "TRADE_CLOSED";
                    default -> "WAIT_BUYER_PAY";
                }).put("total_amount", YuanText.of(o.amountFen));
        if (o.paid()) {
            r.put("trade_no", o.tradeNo).put("send_pay_date", LocalDateTime.ofInstant(o.paidAt, CST).format(TIME));
        }
    }

    private void close(ObjectNode r, String no) {
        Order o = order(no);
        if (o == null) {
            r.put("code", "40004").put("msg", "Business Failed").put("sub_code", "ACQ.TRADE_NOT_EXIST");
        } else if (!closeOrder(no)) {
            r.put("code", "40004").put("msg", "Business Failed").put("sub_code", "ACQ.TRADE_STATUS_ERROR");
        } else {
            r.put("code", "10000").put("msg", "Success").put("out_trade_no", no);
        }
    }

    private boolean merchantSigned(Map<String, String> p) {
        return APP_ID.equals(p.get("app_id")) && "RSA2".equals(p.get("sign_type"))
                && Rsa.verify(keys.merchantPublicKey(), Alipay.canonical(p, false), p.get("sign"));
    }

    private static Map<String, String> params(String form) {
        return form == null ? new TreeMap<>() : Alipay.parseForm(form);
    }

    @Override
    protected HttpRequest notification(Order o, boolean forge) {
        return notification(o, o.amountFen, forge);
    }

    /** A notification of {@code o} claiming {@code amountFen}, signed (broken when {@code forge}). */
    public HttpRequest notification(Order o, long amountFen, boolean forge) {
        Map<String, String> p = new TreeMap<>();
        p.put("notify_time", LocalDateTime.ofInstant(clock.instant(), CST).format(TIME));
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", UUID.randomUUID().toString().replace("-", ""));
        p.put("app_id", APP_ID);
        p.put("charset", "utf-8");
        p.put("version", "1.0");
        p.put("sign_type", "RSA2");
        p.put("trade_no", o.tradeNo);
        p.put("out_trade_no", o.outTradeNo);
        p.put("total_amount", YuanText.of(amountFen));
        p.put("trade_status", "TRADE_SUCCESS");
        p.put("gmt_payment", LocalDateTime.ofInstant(o.paidAt, CST).format(TIME));
        String sign = Rsa.sign(keys.providerKey(), Alipay.canonical(p, true));
        if (forge) {
            sign = (sign.charAt(0) == 'A' ? "B" : "A") + sign.substring(1);
        }
        p.put("sign", sign);
        return HttpRequest.newBuilder(URI.create(o.notifyUrl)).timeout(java.time.Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Alipay.form(p), StandardCharsets.UTF_8)).build();
    }

    @Override
    protected boolean acknowledged(HttpResponse<String> reply) {
        return reply.statusCode() == 200 && reply.body().trim().equals("success");
    }
}
