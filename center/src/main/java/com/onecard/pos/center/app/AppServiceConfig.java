package com.onecard.pos.center.app;

import com.onecard.pos.center.identity.AttemptCounters;
import com.onecard.pos.center.identity.Logins;
import com.onecard.pos.center.identity.PasswordHasher;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.center.identity.SmsGateway;
import com.onecard.pos.center.photo.PhotoRules;
import com.onecard.pos.center.topup.Alipay;
import com.onecard.pos.center.topup.WechatPayV3;

import java.time.Duration;

/**
 * The campus app's service on one center instance (center.properties keys {@code app.*},
 * {@code sms.*}, {@code pay.*}; see the sample file and docs/app.md).
 *
 * @param tokenSecret      HMAC key of the access tokens and code hashes, at least 32 bytes, the same on
 *                         every instance; null = a random one for this instance only (a warning: tokens
 *                         then work only on the instance that issued them)
 * @param publicUrl        the service's base URL as providers reach it ({@code notify_url}); null =
 *                         {@code http://<host>:<port>} once bound
 * @param sms              null = no SMS gateway (codes are refused SMS_UNAVAILABLE)
 * @param wechat           null = WeChat Pay not offered
 * @param alipay           null = Alipay not offered
 * @param sweepInterval    how often this instance looks at unpaid orders (query, close)
 * @param qrPasswordAboveFen a QR payment above this many fen needs the card password
 * @param maxThreads       requests served at once
 * @param idleTimeoutMs    a connection idle (or trickling a body) this long is dropped
 * @param trustedProxies   reverse proxies whose X-Forwarded-For names the client ({@code app.trusted-proxies})
 */
public record AppServiceConfig(byte[] tokenSecret, Duration accessTtl, Duration refreshTtl,
                               PasswordHasher.Cost passwordCost, String publicUrl, SmsGateway sms,
                               SmsCodes.Limits smsLimits, Logins.Policies loginPolicies,
                               AttemptCounters.Policy cardPasswordPolicy, WechatPayV3.Config wechat,
                               Alipay.Config alipay, Duration orderTimeout, Duration queryAfter, Duration queryEvery,
                               Duration sweepInterval, long qrPasswordAboveFen, PhotoRules photoRules, int maxThreads,
                               long idleTimeoutMs, TrustedProxies trustedProxies) {

    /** No SMS gateway, no providers, a per-instance token secret; the rest at the documented defaults. */
    public static AppServiceConfig defaults() {
        return new AppServiceConfig(null, Duration.ofMinutes(10), Duration.ofDays(30), PasswordHasher.OWASP, null, null,
                SmsCodes.Limits.defaults(), Logins.Policies.defaults(),
                new AttemptCounters.Policy(5, Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)),
                null, null, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 5000, PhotoRules.standard(), 64, 30_000,
                TrustedProxies.none());
    }

    public AppServiceConfig withTokenSecret(byte[] secret) {
        return new AppServiceConfig(secret, accessTtl, refreshTtl, passwordCost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withSms(SmsGateway gateway) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, gateway, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withProviders(WechatPayV3.Config wechatConfig, Alipay.Config alipayConfig) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechatConfig, alipayConfig, orderTimeout, queryAfter, queryEvery,
                sweepInterval, qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withPasswordCost(PasswordHasher.Cost cost) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, cost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withPublicUrl(String url) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, url, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    /** Order lifetime, when an unpaid order is first queried, and how often this instance sweeps. */
    public AppServiceConfig withOrderTiming(Duration timeout, Duration firstQueryAfter, Duration queryAtMostEvery,
                                            Duration sweep) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, timeout, firstQueryAfter, queryAtMostEvery, sweep,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withLimits(SmsCodes.Limits sms, Logins.Policies logins) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, this.sms, sms,
                logins, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, trustedProxies);
    }

    public AppServiceConfig withServer(int threads, long idleMs) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, threads, idleMs, trustedProxies);
    }

    public AppServiceConfig withTrustedProxies(TrustedProxies proxies) {
        return new AppServiceConfig(tokenSecret, accessTtl, refreshTtl, passwordCost, publicUrl, sms, smsLimits,
                loginPolicies, cardPasswordPolicy, wechat, alipay, orderTimeout, queryAfter, queryEvery, sweepInterval,
                qrPasswordAboveFen, photoRules, maxThreads, idleTimeoutMs, proxies);
    }

    @Override
    public String toString() {
        return "AppServiceConfig[tokenSecret=" + (tokenSecret == null ? "per-instance" : "***") + ", accessTtl="
                + accessTtl + ", refreshTtl=" + refreshTtl + ", passwordCost=" + passwordCost + ", publicUrl=" + publicUrl
                + ", sms=" + (sms == null ? "none" : sms.getClass().getSimpleName()) + ", wechat=" + wechat + ", alipay="
                + alipay + ", orderTimeout=" + orderTimeout + ", sweepInterval=" + sweepInterval
                + ", qrPasswordAboveFen=" + qrPasswordAboveFen + ", maxThreads=" + maxThreads + ", trustedProxies="
                + trustedProxies + "]";
    }
}
