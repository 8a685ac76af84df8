package com.onecard.pos.sim.pay;

import io.javalin.http.Context;

import java.net.URI;

/**
 * The simulated provider's cashier page as a phone's browser sees it (WeChat Pay's H5 page,
 * Alipay's wap page): the order and a 确认支付 button; once paid, back to the merchant's
 * {@code redirect_url} when one was given (WeChat Pay H5 appends it to {@code h5_url}), else a
 * "paid, go back" page. A program that asks for JSON (the simulated students) keeps getting JSON.
 */
final class CashierPage {
    private CashierPage() {
    }

    /** True when the caller is a browser (it asks for HTML or posts the page's form). */
    static boolean browser(Context ctx) {
        String accept = ctx.header("Accept");
        String type = ctx.header("Content-Type");
        return (accept != null && accept.contains("text/html"))
                || (type != null && type.startsWith("application/x-www-form-urlencoded"));
    }

    /** The page of an unpaid order: amount and the confirm button posting to {@code confirmPath}. */
    static void show(Context ctx, String provider, SimulatedProvider.Order o, String confirmPath) {
        if (o == null) {
            page(ctx, 404, provider, "<p id=\"sim-pay-error\">订单不存在 (no such order)</p>");
            return;
        }
        String redirect = safeRedirect(ctx.queryParam("redirect_url"));
        String body = "<p>订单号 <span id=\"sim-pay-order\">" + esc(o.outTradeNo) + "</span></p>"
                + "<p class=\"amount\">¥<span id=\"sim-pay-amount\">" + yuan(o.amountFen) + "</span></p>"
                + (o.paid() ? "<p id=\"sim-pay-done\">已支付 (paid)</p>"
                : "<form method=\"post\" action=\"" + esc(confirmPath) + "\">"
                + (redirect == null ? "" : "<input type=\"hidden\" name=\"redirect_url\" value=\"" + esc(redirect) + "\">")
                + "<button id=\"sim-pay-confirm\" type=\"submit\">确认支付</button></form>");
        page(ctx, 200, provider, body);
    }

    /** After the student confirmed: back to the merchant, or a paid page. */
    static void afterConfirm(Context ctx, String provider, SimulatedProvider.Order o, boolean paid) {
        String redirect = safeRedirect(ctx.formParam("redirect_url"));
        if (paid && redirect != null) {
            ctx.redirect(redirect, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        page(ctx, paid ? 200 : 409, provider, paid
                ? "<p id=\"sim-pay-done\">支付成功，请返回商户 (paid: go back to the merchant)</p><p>¥" + yuan(o.amountFen) + "</p>"
                : "<p id=\"sim-pay-error\">订单无法支付 (the order cannot be paid: closed or expired)</p>");
    }

    private static void page(Context ctx, int status, String provider, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"zh-CN\"><head>"
                + "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + provider + "（模拟）</title><style>body{font:16px sans-serif;margin:0;background:#f5f5f5}"
                + "h1{background:#07c160;color:#fff;margin:0;padding:14px;font-size:18px;text-align:center}"
                + "main{padding:16px}.amount{font-size:32px;text-align:center}"
                + "button{width:100%;padding:12px;font-size:17px;background:#07c160;color:#fff;border:0;border-radius:6px}"
                + "</style></head><body><h1>" + provider + "（模拟支付）</h1><main>" + body + "</main></body></html>");
    }

    /** Only an absolute http(s) URL goes back; anything else is dropped (no javascript: links). */
    static String safeRedirect(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null ? url : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String yuan(long fen) {
        return fen / 100 + "." + String.format("%02d", fen % 100);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
