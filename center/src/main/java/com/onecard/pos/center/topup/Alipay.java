package com.onecard.pos.center.topup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Alipay's open API, mobile-web payments, as the merchant side (source: Alipay open platform
 * documents: 手机网站支付 alipay.trade.wap.pay, 异步通知验签, alipay.trade.query,
 * alipay.trade.close, 账单下载 alipay.data.dataservice.bill.downloadurl.query). Requests and the
 * payment URL are signed RSA2 (SHA256withRSA) over the sorted {@code key=value&...} of every
 * parameter but {@code sign}; notifications are verified the same way (without {@code sign}
 * and {@code sign_type}) with Alipay's public key; API replies by the signature over the
 * response object's exact JSON text.
 */
public final class Alipay implements PaymentProvider {
    /** @param gateway the gateway URL, e.g. {@code https://openapi.alipay.com/gateway.do} */
    public record Config(URI gateway, String appId, PrivateKey merchantKey, PublicKey alipayKey) {
        @Override
        public String toString() {
            return "Alipay.Config[" + gateway + ", app " + appId + "]";
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ZoneId CST = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Config config;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public Alipay(Config config, HttpClient http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String channel() {
        return "alipay";
    }

    /** Alipay's mobile-web payment needs no call: the student's browser carries the signed request to the gateway. */
    @Override
    public String createOrder(OrderRequest o) {
        ObjectNode biz = json.createObjectNode().put("out_trade_no", o.outTradeNo())
                .put("total_amount", YuanText.of(o.amountFen())).put("subject", o.description())
                .put("product_code", "QUICK_WAP_WAY")
                .put("time_expire", LocalDateTime.ofInstant(o.expires(), CST).format(TIME));
        Map<String, String> p = common("alipay.trade.wap.pay", biz);
        p.put("notify_url", o.notifyUrl());
        p.put("sign", Rsa.sign(config.merchantKey(), canonical(p, false)));
        return config.gateway() + "?" + form(p);
    }

    @Override
    public Notice readNotification(Map<String, String> headers, byte[] body) {
        Map<String, String> p = parseForm(new String(body, StandardCharsets.UTF_8));
        if (!"RSA2".equals(p.get("sign_type"))) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("Alipay notification sign_type '" + p.get("sign_type")
                    + "' (only RSA2 is accepted)");
        }
        if (!Rsa.verify(config.alipayKey(), canonical(p, true), p.get("sign"))) {
            throw AppError.NOTIFY_BAD_SIGNATURE.with("Alipay notification signature does not verify with Alipay's key");
        }
        if (!config.appId().equals(p.get("app_id"))) {
            throw AppError.NOTIFY_MALFORMED.with("Alipay notification for app " + p.get("app_id"));
        }
        String status = p.getOrDefault("trade_status", "");
        if (!status.equals("TRADE_SUCCESS") && !status.equals("TRADE_FINISHED")) {
            throw AppError.NOTIFY_NOT_PAID.with("Alipay trade status '" + status + "'");
        }
        long fen = YuanText.parse(p.get("total_amount"));
        if (fen <= 0) {
            throw AppError.NOTIFY_MALFORMED.with("Alipay total_amount '" + p.get("total_amount") + "' is not yuan.fen");
        }
        return new Notice(required(p, "out_trade_no"), required(p, "trade_no"), fen, time(p.get("gmt_payment")),
                p.getOrDefault("notify_id", ""));
    }

    @Override
    public Ack ack() {
        return new Ack(200, "text/plain; charset=utf-8", "success".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Query query(String outTradeNo) throws ProviderException {
        JsonNode r = call("alipay.trade.query", json.createObjectNode().put("out_trade_no", outTradeNo),
                "querying order " + outTradeNo);
        if (notExist(r)) {
            return new Query(TradeState.NOT_PAID, null, 0, null);
        }
        requireSuccess(r, "query of " + outTradeNo);
        String status = r.path("trade_status").asText();
        return switch (status) {
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> {
                long fen = YuanText.parse(r.path("total_amount").asText());
                if (fen <= 0) {
                    throw new ProviderException("Alipay query of " + outTradeNo + ": total_amount unreadable");
                }
                try {
                    yield new Query(TradeState.PAID, r.path("trade_no").asText(), fen, time(r.path("send_pay_date").asText()));
                } catch (com.onecard.pos.center.app.error.Refusal e) {
                    throw new ProviderException("Alipay query of " + outTradeNo + ": " + e.getMessage());
                }
            }
            case "TRADE_CLOSED" -> new Query(TradeState.CLOSED, null, 0, null);
            case "WAIT_BUYER_PAY" -> new Query(TradeState.NOT_PAID, null, 0, null);
            default -> throw new ProviderException("Alipay order " + outTradeNo + " in status '" + status + "'");
        };
    }

    @Override
    public TradeState close(String outTradeNo) throws ProviderException {
        JsonNode r = call("alipay.trade.close", json.createObjectNode().put("out_trade_no", outTradeNo),
                "closing order " + outTradeNo);
        if (notExist(r)) {
            return TradeState.CLOSED;
        }
        if ("ACQ.TRADE_STATUS_ERROR".equals(r.path("sub_code").asText())) {
            return TradeState.PAID;
        }
        requireSuccess(r, "close of " + outTradeNo);
        return TradeState.CLOSED;
    }

    @Override
    public List<StatementLine> statement(LocalDate day) throws ProviderException {
        JsonNode r = call("alipay.data.dataservice.bill.downloadurl.query",
                json.createObjectNode().put("bill_type", "trade").put("bill_date", day.toString()),
                "asking for the statement of " + day);
        requireSuccess(r, "statement of " + day);
        String url = r.path("bill_download_url").asText("");
        if (url.isEmpty()) {
            throw new ProviderException("Alipay statement of " + day + ": no bill_download_url");
        }
        try {
            HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (csv.statusCode() != 200) {
                throw new ProviderException("Alipay statement download of " + day + ": HTTP " + csv.statusCode());
            }
            return StatementCsv.parse(csv.body(), "Alipay statement of " + day);
        } catch (IOException e) {
            throw new ProviderException("Alipay statement download of " + day + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("Alipay statement download: interrupted", e);
        }
    }

    private Map<String, String> common(String method, ObjectNode biz) {
        Map<String, String> p = new TreeMap<>();
        p.put("app_id", config.appId());
        p.put("method", method);
        p.put("charset", "utf-8");
        p.put("sign_type", "RSA2");
        p.put("timestamp", LocalDateTime.ofInstant(clock.instant(), CST).format(TIME));
        p.put("version", "1.0");
        p.put("biz_content", biz.toString());
        return p;
    }

    /** Calls the gateway; returns the verified response object. */
    private JsonNode call(String method, ObjectNode biz, String what) throws ProviderException {
        Map<String, String> p = common(method, biz);
        p.put("sign", Rsa.sign(config.merchantKey(), canonical(p, false)));
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(config.gateway()).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(form(p), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException("Alipay " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("Alipay " + what + ": interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new ProviderException("Alipay " + what + ": HTTP " + r.statusCode());
        }
        String key = "\"" + method.replace('.', '_') + "_response\":";
        String text = r.body();
        int a = text.indexOf(key);
        int b = text.lastIndexOf(",\"sign\":\"");
        if (a < 0 || b < a) {
            throw new ProviderException("Alipay " + what + ": reply lacks " + key + " or sign");
        }
        String object = text.substring(a + key.length(), b);
        String sign = text.substring(b + 9, text.lastIndexOf('"'));
        if (!Rsa.verify(config.alipayKey(), object, sign)) {
            throw new ProviderException("Alipay " + what + ": reply signature does not verify with Alipay's key");
        }
        try {
            return json.readTree(object);
        } catch (IOException e) {
            throw new ProviderException("Alipay " + what + ": reply is not JSON", e);
        }
    }

    private static boolean notExist(JsonNode r) {
        return "ACQ.TRADE_NOT_EXIST".equals(r.path("sub_code").asText());
    }

    private static void requireSuccess(JsonNode r, String what) throws ProviderException {
        if (!"10000".equals(r.path("code").asText())) {
            throw new ProviderException("Alipay " + what + ": " + r.path("code").asText() + " " + r.path("sub_code").asText()
                    + " " + r.path("sub_msg").asText());
        }
    }

    /** Sorted {@code k=v&...} of the non-empty parameters, without sign (and sign_type for notifications). */
    public static String canonical(Map<String, String> params, boolean notification) {
        return new TreeMap<>(params).entrySet().stream()
                .filter(e -> !e.getKey().equals("sign") && !(notification && e.getKey().equals("sign_type")))
                .filter(e -> e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    public static String form(Map<String, String> p) {
        return p.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    public static Map<String, String> parseForm(String body) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw AppError.NOTIFY_MALFORMED.with("Alipay form field is not URL-encoded");
            }
        }
        return out;
    }

    private static String required(Map<String, String> p, String field) {
        String v = p.get(field);
        if (v == null || v.isEmpty()) {
            throw AppError.NOTIFY_MALFORMED.with("Alipay notification lacks " + field);
        }
        return v;
    }

    private static Instant time(String text) {
        try {
            return LocalDateTime.parse(text, TIME).atZone(CST).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw AppError.NOTIFY_MALFORMED.with("Alipay time '" + text + "' is not yyyy-MM-dd HH:mm:ss");
        }
    }
}
