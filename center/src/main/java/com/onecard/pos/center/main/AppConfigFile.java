package com.onecard.pos.center.main;

import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.app.TrustedProxies;
import com.onecard.pos.center.identity.FileSmsSink;
import com.onecard.pos.center.identity.PasswordHasher;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.center.identity.SmsGateway;
import com.onecard.pos.center.topup.Alipay;
import com.onecard.pos.center.topup.Rsa;
import com.onecard.pos.center.topup.WechatPayV3;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * The campus app's keys of center.properties ({@code app.*} but host and port, {@code sms.*},
 * {@code pay.*}); the sample file documents each. Secrets (token secret, merchant keys, the
 * API v3 key) are read from files that must not be readable by others, never from the file
 * itself. Each problem names its key.
 */
public final class AppConfigFile {
    static final Set<String> KEYS = Set.of("app.token-secret-file", "app.public-url", "app.password-hash",
            "app.access-token-minutes", "app.refresh-token-days", "app.order-timeout-minutes",
            "app.qr-password-above-fen", "app.max-threads", "app.trusted-proxies", "sms.gateway", "sms.sink-file",
            "sms.per-address-per-hour", "pay.wechat.base-url", "pay.wechat.mchid", "pay.wechat.appid",
            "pay.wechat.merchant-serial", "pay.wechat.merchant-key-file", "pay.wechat.platform-serial",
            "pay.wechat.platform-public-key-file", "pay.wechat.apiv3-key-file", "pay.alipay.gateway-url",
            "pay.alipay.app-id", "pay.alipay.merchant-key-file", "pay.alipay.public-key-file");

    private AppConfigFile() {
    }

    public static AppServiceConfig load(Path file, Clock clock) throws CenterConfigFile.Invalid {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new CenterConfigFile.Invalid("cannot read configuration " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        AppServiceConfig c = AppServiceConfig.defaults();
        String secretFile = get(p, "app.token-secret-file");
        if (secretFile != null) {
            c = c.withTokenSecret(CenterConfigFile.readHexSecret(base.resolve(secretFile), "app.token-secret-file"));
        }
        if (get(p, "app.public-url") != null) {
            c = c.withPublicUrl(get(p, "app.public-url").replaceAll("/+$", ""));
        }
        if (get(p, "app.password-hash") != null) {
            try {
                c = c.withPasswordCost(PasswordHasher.Cost.parse(get(p, "app.password-hash")));
            } catch (IllegalArgumentException e) {
                throw new CenterConfigFile.Invalid("app.password-hash: " + e.getMessage());
            }
        }
        c = new AppServiceConfig(c.tokenSecret(), Duration.ofMinutes(integer(p, "app.access-token-minutes", 10, 1, 60)),
                Duration.ofDays(integer(p, "app.refresh-token-days", 30, 1, 365)), c.passwordCost(), c.publicUrl(),
                c.sms(), c.smsLimits().withPerAddressPerHour(integer(p, "sms.per-address-per-hour", 60, 1, 1_000_000)),
                c.loginPolicies(), c.cardPasswordPolicy(), null, null,
                Duration.ofMinutes(integer(p, "app.order-timeout-minutes", 15, 1, 120)), c.queryAfter(), c.queryEvery(),
                c.sweepInterval(), integer(p, "app.qr-password-above-fen", 5000, 0, 100_000_000), c.photoRules(),
                integer(p, "app.max-threads", 64, 8, 1024), c.idleTimeoutMs(), c.trustedProxies());
        try {
            c = c.withTrustedProxies(TrustedProxies.parse(get(p, "app.trusted-proxies")));
        } catch (IllegalArgumentException e) {
            throw new CenterConfigFile.Invalid("app.trusted-proxies: " + e.getMessage());
        }
        c = c.withSms(sms(p, base, clock));
        return c.withProviders(wechat(p, base), alipay(p, base));
    }

    /** {@code sms.gateway=file} (development: {@code sms.sink-file}) or none. A real gateway is a class implementing SmsGateway wired here. */
    private static SmsGateway sms(Properties p, Path base, Clock clock) throws CenterConfigFile.Invalid {
        String kind = get(p, "sms.gateway");
        if (kind == null || kind.equals("none")) {
            return null;
        }
        if (!kind.equals("file")) {
            throw new CenterConfigFile.Invalid("sms.gateway: 'file' or 'none', got '" + kind + "'");
        }
        String f = get(p, "sms.sink-file");
        if (f == null) {
            throw new CenterConfigFile.Invalid("sms.sink-file: missing (sms.gateway=file)");
        }
        try {
            return new FileSmsSink(base.resolve(f), clock);
        } catch (IOException e) {
            throw new CenterConfigFile.Invalid("sms.sink-file: " + e.getMessage());
        }
    }

    private static WechatPayV3.Config wechat(Properties p, Path base) throws CenterConfigFile.Invalid {
        if (get(p, "pay.wechat.base-url") == null) {
            return null;
        }
        try {
            return new WechatPayV3.Config(URI.create(required(p, "pay.wechat.base-url")), required(p, "pay.wechat.mchid"),
                    required(p, "pay.wechat.appid"), required(p, "pay.wechat.merchant-serial"),
                    Rsa.privateKey(secretFile(p, base, "pay.wechat.merchant-key-file")),
                    required(p, "pay.wechat.platform-serial"),
                    Rsa.publicKey(base.resolve(required(p, "pay.wechat.platform-public-key-file"))),
                    CenterConfigFile.readSecret(secretFile(p, base, "pay.wechat.apiv3-key-file"), "pay.wechat.apiv3-key-file")
                            .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | IllegalArgumentException e) {
            throw new CenterConfigFile.Invalid("pay.wechat: " + e.getMessage());
        }
    }

    private static Alipay.Config alipay(Properties p, Path base) throws CenterConfigFile.Invalid {
        if (get(p, "pay.alipay.gateway-url") == null) {
            return null;
        }
        try {
            return new Alipay.Config(URI.create(required(p, "pay.alipay.gateway-url")), required(p, "pay.alipay.app-id"),
                    Rsa.privateKey(secretFile(p, base, "pay.alipay.merchant-key-file")),
                    Rsa.publicKey(base.resolve(required(p, "pay.alipay.public-key-file"))));
        } catch (IOException | IllegalArgumentException e) {
            throw new CenterConfigFile.Invalid("pay.alipay: " + e.getMessage());
        }
    }

    /** A key file: it must exist and not be readable by others (checked as for every secret). */
    private static Path secretFile(Properties p, Path base, String key) throws CenterConfigFile.Invalid {
        Path f = base.resolve(required(p, key));
        CenterConfigFile.readSecret(f, key);
        return f;
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String required(Properties p, String key) throws CenterConfigFile.Invalid {
        String v = get(p, key);
        if (v == null) {
            throw new CenterConfigFile.Invalid(key + ": missing");
        }
        return v;
    }

    private static int integer(Properties p, String key, int dflt, int min, int max) throws CenterConfigFile.Invalid {
        String v = get(p, key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new CenterConfigFile.Invalid(key + ": must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }
}
