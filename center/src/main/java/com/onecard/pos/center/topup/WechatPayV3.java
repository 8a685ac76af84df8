package com.onecard.pos.center.topup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * WeChat Pay API v3, H5 payments, as the merchant side (source: WeChat Pay API v3 documents:
 * "签名生成", "签名验证", "回调通知", H5 下单, 查询订单, 关闭订单, 申请交易账单). Every request is signed
 * with the merchant key ({@code Authorization: WECHATPAY2-SHA256-RSA2048 ...} over
 * method, path, timestamp, nonce and body); every response and notification is checked against
 * the platform key ({@code Wechatpay-Signature} over timestamp, nonce and body; a timestamp
 * more than 5 minutes off is refused); the notification's resource is decrypted with the
 * API v3 key (AES-256-GCM).
 */
public final class WechatPayV3 implements PaymentProvider {
    /**
     * @param baseUrl         the API's root, e.g. {@code https://api.mch.weixin.qq.com}
     * @param merchantSerial  serial number of the merchant certificate whose key signs requests
     * @param platformSerial  serial number of the platform certificate whose key signs replies
     * @param apiV3Key        32 bytes
     */
    public record Config(URI baseUrl, String mchid, String appid, String merchantSerial, PrivateKey merchantKey,
                         String platformSerial, PublicKey platformKey, byte[] apiV3Key) {
        @Override
        public String toString() {
            return "WechatPayV3.Config[" + baseUrl + ", mchid " + mchid + "]";
        }
    }

    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ZoneOffset CST = ZoneOffset.ofHours(8);

    private final Config config;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    public WechatPayV3(Config config, HttpClient http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String channel() {
        return "wechat";
    }

    @Override
    public String createOrder(OrderRequest o) throws ProviderException {
        ObjectNode body = json.createObjectNode().put("appid", config.appid()).put("mchid", config.mchid())
                .put("description", o.description()).put("out_trade_no", o.outTradeNo())
                .put("time_expire", OffsetDateTime.ofInstant(o.expires(), CST).withNano(0).toString())
                .put("notify_url", o.notifyUrl());
        body.putObject("amount").put("total", o.amountFen()).put("currency", "CNY");
        body.putObject("scene_info").put("payer_client_ip", o.clientAddress()).putObject("h5_info").put("type", "Wap");
        JsonNode r = call("POST", "/v3/pay/transactions/h5", body.toString(), "creating order " + o.outTradeNo());
        String url = r.path("h5_url").asText("");
        if (url.isEmpty()) {
            throw new ProviderException("WeChat Pay created order " + o.outTradeNo() + " without an h5_url");
        }
        return url;
    }

    @Override
    public Notice readNotification(Map<String, String> headers, byte[] raw) {
        String body = new String(raw, StandardCharsets.UTF_8);
        checkSigned(headers, body, "notification");
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (IOException e) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay notification is not JSON");
        }
        if (!"TRANSACTION.SUCCESS".equals(n.path("event_type").asText())) {
            throw AppError.NOTIFY_NOT_PAID.with("WeChat Pay notification event " + n.path("event_type").asText());
        }
        JsonNode res = n.path("resource");
        String plain;
        try {
            plain = WechatResource.decrypt(config.apiV3Key(), res.path("nonce").asText(),
                    res.path("associated_data").asText(null), res.path("ciphertext").asText());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("WeChat Pay notification resource does not decrypt with the API v3 key");
        }
        JsonNode t;
        try {
            t = json.readTree(plain);
        } catch (IOException e) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay notification resource is not JSON");
        }
        if (!config.mchid().equals(t.path("mchid").asText())) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay notification for merchant " + t.path("mchid").asText());
        }
        if (!"SUCCESS".equals(t.path("trade_state").asText())) {
            throw AppError.NOTIFY_NOT_PAID.with("WeChat Pay trade state " + t.path("trade_state").asText());
        }
        return new Notice(required(t, "out_trade_no"), required(t, "transaction_id"), amount(t),
                time(t.path("success_time").asText()), n.path("id").asText(""));
    }

    @Override
    public Ack ack() {
        return new Ack(204, "application/json", new byte[0]);
    }

    @Override
    public Query query(String outTradeNo) throws ProviderException {
        JsonNode t = call("GET", "/v3/pay/transactions/out-trade-no/" + outTradeNo + "?mchid=" + config.mchid(), "",
                "querying order " + outTradeNo);
        String state = t.path("trade_state").asText();
        try {
            return switch (state) {
                case "SUCCESS" -> new Query(TradeState.PAID, required(t, "transaction_id"), amount(t),
                        time(t.path("success_time").asText()));
                case "CLOSED", "REVOKED", "PAYERROR" -> new Query(TradeState.CLOSED, null, 0, null);
                case "NOTPAY", "USERPAYING" -> new Query(TradeState.NOT_PAID, null, 0, null);
                default -> throw new ProviderException("WeChat Pay order " + outTradeNo + " in state '" + state + "'");
            };
        } catch (com.onecard.pos.center.app.error.Refusal e) {
            throw new ProviderException("WeChat Pay query of " + outTradeNo + ": " + e.getMessage());
        }
    }

    @Override
    public TradeState close(String outTradeNo) throws ProviderException {
        HttpResponse<String> r = send("POST", "/v3/pay/transactions/out-trade-no/" + outTradeNo + "/close",
                json.createObjectNode().put("mchid", config.mchid()).toString(), "closing order " + outTradeNo);
        if (r.statusCode() == 204 || r.statusCode() == 200) {
            return TradeState.CLOSED;
        }
        if (r.statusCode() == 400 && r.body().contains("ORDERPAID")) {
            return TradeState.PAID;
        }
        throw new ProviderException("WeChat Pay refused to close " + outTradeNo + ": HTTP " + r.statusCode() + " "
                + r.body());
    }

    @Override
    public List<StatementLine> statement(LocalDate day) throws ProviderException {
        HttpResponse<String> r = send("GET", "/v3/bill/tradebill?bill_date=" + day, "", "reading the statement of " + day);
        if (r.statusCode() != 200) {
            throw new ProviderException("WeChat Pay statement of " + day + ": HTTP " + r.statusCode() + " " + r.body());
        }
        checkSignedReply(r);
        return StatementCsv.parse(r.body(), "WeChat Pay statement of " + day);
    }

    private JsonNode call(String method, String pathAndQuery, String body, String what) throws ProviderException {
        HttpResponse<String> r = send(method, pathAndQuery, body, what);
        if (r.statusCode() / 100 != 2) {
            throw new ProviderException("WeChat Pay " + what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        checkSignedReply(r);
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new ProviderException("WeChat Pay " + what + ": reply is not JSON", e);
        }
    }

    private void checkSignedReply(HttpResponse<String> r) throws ProviderException {
        Map<String, String> h = new java.util.HashMap<>();
        r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
        try {
            checkSigned(h, r.body(), "reply");
        } catch (com.onecard.pos.center.app.error.Refusal e) {
            throw new ProviderException("WeChat Pay reply refused: " + e.getMessage());
        }
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, String what)
            throws ProviderException {
        String nonce = HexFormat.of().formatHex(random.generateSeed(16));
        long ts = clock.instant().getEpochSecond();
        String message = method + "\n" + pathAndQuery + "\n" + ts + "\n" + nonce + "\n" + body + "\n";
        String auth = "WECHATPAY2-SHA256-RSA2048 mchid=\"" + config.mchid() + "\",nonce_str=\"" + nonce
                + "\",signature=\"" + Rsa.sign(config.merchantKey(), message) + "\",timestamp=\"" + ts
                + "\",serial_no=\"" + config.merchantSerial() + "\"";
        HttpRequest.Builder b = HttpRequest.newBuilder(config.baseUrl().resolve(pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", auth).header("Accept", "application/json");
        if (method.equals("GET")) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException("WeChat Pay " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("WeChat Pay " + what + ": interrupted", e);
        }
    }

    /** The platform's signature over timestamp, nonce and body; the serial and the clock checked first. */
    private void checkSigned(Map<String, String> headers, String body, String what) {
        String serial = headers.getOrDefault("wechatpay-serial", "");
        String ts = headers.getOrDefault("wechatpay-timestamp", "");
        String nonce = headers.getOrDefault("wechatpay-nonce", "");
        String sig = headers.getOrDefault("wechatpay-signature", "");
        if (!config.platformSerial().equals(serial)) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("WeChat Pay " + what + " signed by unknown certificate serial '"
                    + serial + "'");
        }
        long seconds;
        try {
            seconds = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("WeChat Pay " + what + " without a Wechatpay-Timestamp");
        }
        if (!Rsa.verify(config.platformKey(), ts + "\n" + nonce + "\n" + body + "\n", sig)) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("WeChat Pay " + what + " signature does not verify with the"
                    + " platform key");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > MAX_SKEW.toSeconds()) {
            throw AppError.NOTIFY_STALE.with("WeChat Pay " + what + " timestamp is " + skew + " s off (at most "
                    + MAX_SKEW.toSeconds() + " s): a replay");
        }
    }

    private static String required(JsonNode t, String field) {
        String v = t.path(field).asText("");
        if (v.isEmpty()) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay message lacks " + field);
        }
        return v;
    }

    private static long amount(JsonNode t) {
        JsonNode total = t.path("amount").path("total");
        if (!total.canConvertToLong() || !total.isIntegralNumber() || total.asLong() <= 0) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay message has no amount.total in fen");
        }
        return total.asLong();
    }

    private static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw AppError.NOTIFY_MALFORMED.with("WeChat Pay time '" + text + "' is not RFC 3339");
        }
    }
}
