package com.onecard.pos.sim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.topup.Rsa;
import com.onecard.pos.center.topup.StatementCsv;
import com.onecard.pos.center.topup.WechatPayV3;
import com.onecard.pos.center.topup.WechatResource;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated WeChat Pay (API v3, H5): checks the merchant's request signatures, signs every
 * reply and notification with its platform key, encrypts the notification's resource with the
 * merchant's API v3 key. The student's "WeChat" is its page {@code /sim/h5pay/<out_trade_no>}.
 */
public final class SimulatedWechatPay extends SimulatedProvider {
    public static final String MCHID = "1900000109";
    public static final String APPID = "wxd678efh567hg6787";
    public static final String MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    public static final String PLATFORM_SERIAL = "PUB_KEY_ID_0112345678901234567890";
    private static final Pattern AUTH = Pattern.compile(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"([^\"]*)\",nonce_str=\"([^\"]*)\",signature=\"([^\"]*)\",timestamp=\"(\\d+)\",serial_no=\"([^\"]*)\"");

    private final ObjectMapper json = new ObjectMapper();

    public SimulatedWechatPay(ProviderKeys keys, Clock clock) {
        super(keys, clock, "sim-wechat");
    }

    @Override
    public String channel() {
        return "wechat";
    }

    @Override
    protected String tradePrefix() {
        return "4200";
    }

    /** The center's configuration for this provider, its keys read from the files as a campus would. */
    public WechatPayV3.Config centerConfig() throws IOException {
        return new WechatPayV3.Config(base(), MCHID, APPID, MERCHANT_SERIAL, Rsa.privateKey(keys.merchantKeyFile()),
                PLATFORM_SERIAL, Rsa.publicKey(keys.providerPublicKeyFile()),
                java.nio.file.Files.readString(keys.apiV3KeyFile()).strip().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String payPageOf(String outTradeNo) {
        return base() + "/sim/h5pay/" + outTradeNo;
    }

    @Override
    protected void routes(JavalinConfig config) {
        config.routes.post("/v3/pay/transactions/h5", ctx -> {
            if (!merchantSigned(ctx)) {
                return;
            }
            JsonNode b = json.readTree(ctx.body());
            String no = b.path("out_trade_no").asText();
            register(no, b.path("amount").path("total").asLong(), b.path("notify_url").asText(),
                    OffsetDateTime.parse(b.path("time_expire").asText()).toInstant());
            reply(ctx, 200, json.createObjectNode().put("h5_url", payPageOf(no)).toString());
        });
        config.routes.get("/v3/pay/transactions/out-trade-no/{no}", ctx -> {
            if (!merchantSigned(ctx)) {
                return;
            }
            Order o = order(ctx.pathParam("no"));
            if (o == null) {
                reply(ctx, 404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"no such order\"}");
                return;
            }
            reply(ctx, 200, transaction(o).toString());
        });
        config.routes.post("/v3/pay/transactions/out-trade-no/{no}/close", ctx -> {
            if (!merchantSigned(ctx)) {
                return;
            }
            if (closeOrder(ctx.pathParam("no"))) {
                ctx.status(204);
            } else {
                reply(ctx, 400, "{\"code\":\"ORDERPAID\",\"message\":\"order paid\"}");
            }
        });
        config.routes.get("/v3/bill/tradebill", ctx -> {
            if (!merchantSigned(ctx)) {
                return;
            }
            reply(ctx, 200, StatementCsv.write(statement(LocalDate.parse(ctx.queryParam("bill_date")))));
        });
        config.routes.get("/sim/h5pay/{no}", ctx -> {
            Order o = order(ctx.pathParam("no"));
            if (CashierPage.browser(ctx)) {
                CashierPage.show(ctx, "微信支付", o, "/sim/h5pay/" + ctx.pathParam("no") + "/confirm");
                return;
            }
            ctx.json(o == null ? java.util.Map.of("error", "no such order")
                    : java.util.Map.of("out_trade_no", o.outTradeNo, "amount_fen", o.amountFen, "state", o.state,
                    "confirm_url", payPageOf(o.outTradeNo) + "/confirm"));
        });
        config.routes.post("/sim/h5pay/{no}/confirm", ctx -> {
            boolean paid = pay(ctx.pathParam("no"));
            Order o = order(ctx.pathParam("no"));
            if (CashierPage.browser(ctx) && o != null) {
                CashierPage.afterConfirm(ctx, "微信支付", o, paid);
                return;
            }
            ctx.status(paid ? 200 : 409).result(o == null ? "" : o.state);
        });
    }

    private ObjectNode transaction(Order o) {
        ObjectNode t = json.createObjectNode().put("appid", APPID).put("mchid", MCHID).put("out_trade_no", o.outTradeNo)
                .put("trade_state", o.state).put("trade_type", "MWEB");
        if (o.paid()) {
            t.put("transaction_id", o.tradeNo).put("success_time", OffsetDateTime.ofInstant(o.paidAt, CST).toString());
            t.putObject("amount").put("total", o.amountFen).put("payer_total", o.amountFen).put("currency", "CNY");
        }
        return t;
    }

    private boolean merchantSigned(Context ctx) {
        Matcher m = AUTH.matcher(String.valueOf(ctx.header("Authorization")));
        String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        if (!m.matches() || !m.group(1).equals(MCHID) || !m.group(5).equals(MERCHANT_SERIAL)
                || !Rsa.verify(keys.merchantPublicKey(), ctx.method() + "\n" + path + "\n" + m.group(4) + "\n"
                + m.group(2) + "\n" + ctx.body() + "\n", m.group(3))) {
            ctx.status(401).result("{\"code\":\"SIGN_ERROR\",\"message\":\"merchant signature does not verify\"}");
            return false;
        }
        return true;
    }

    private void reply(Context ctx, int status, String body) {
        String ts = Long.toString(clock.instant().getEpochSecond());
        String nonce = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII), 0, 16);
        ctx.status(status).contentType("application/json").header("Wechatpay-Timestamp", ts)
                .header("Wechatpay-Nonce", nonce).header("Wechatpay-Serial", PLATFORM_SERIAL)
                .header("Wechatpay-Signature", Rsa.sign(keys.providerKey(), ts + "\n" + nonce + "\n" + body + "\n"))
                .result(body);
    }

    @Override
    protected HttpRequest notification(Order o, boolean forge) {
        String nonce12 = UUID.randomUUID().toString().substring(0, 12);
        String cipher;
        try {
            cipher = WechatResource.encrypt(keys.apiV3Key(), nonce12, "transaction", transaction(o).toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting a notification resource", e);
        }
        ObjectNode n = json.createObjectNode().put("id", UUID.randomUUID().toString())
                .put("create_time", OffsetDateTime.ofInstant(clock.instant(), CST).withNano(0).toString())
                .put("resource_type", "encrypt-resource").put("event_type", "TRANSACTION.SUCCESS").put("summary", "支付成功");
        n.putObject("resource").put("original_type", "transaction").put("algorithm", "AEAD_AES_256_GCM")
                .put("ciphertext", cipher).put("associated_data", "transaction").put("nonce", nonce12);
        String body = n.toString();
        return signed(URI.create(o.notifyUrl), body, forge);
    }

    /** A notification request with this provider's signature headers (broken when {@code forge}). */
    public HttpRequest signed(URI url, String body, boolean forge) {
        String ts = Long.toString(clock.instant().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String sig = Rsa.sign(keys.providerKey(), ts + "\n" + nonce + "\n" + body + "\n");
        if (forge) {
            sig = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
        }
        return HttpRequest.newBuilder(url).timeout(java.time.Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Wechatpay-Timestamp", ts)
                .header("Wechatpay-Nonce", nonce).header("Wechatpay-Serial", PLATFORM_SERIAL)
                .header("Wechatpay-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /** The notification body this provider would send for {@code o} (for tests that replay or edit it). */
    public String notificationBody(Order o, long amountFen) {
        ObjectNode t = transaction(o);
        t.putObject("amount").put("total", amountFen).put("payer_total", amountFen).put("currency", "CNY");
        String nonce12 = UUID.randomUUID().toString().substring(0, 12);
        try {
            ObjectNode n = json.createObjectNode().put("id", UUID.randomUUID().toString())
                    .put("event_type", "TRANSACTION.SUCCESS").put("resource_type", "encrypt-resource");
            n.putObject("resource").put("algorithm", "AEAD_AES_256_GCM").put("associated_data", "transaction")
                    .put("nonce", nonce12)
                    .put("ciphertext", WechatResource.encrypt(keys.apiV3Key(), nonce12, "transaction", t.toString()));
            return n.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected boolean acknowledged(HttpResponse<String> reply) {
        return reply.statusCode() == 200 || reply.statusCode() == 204;
    }
}
