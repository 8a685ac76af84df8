package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.identity.Logins;
import com.onecard.pos.center.identity.SmsCodes;
import com.onecard.pos.center.testing.AppFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rate limits count the client behind the operator's reverse proxy, and only there: the test's
 * requests come from 127.0.0.1, trusted as a proxy in one fixture and not in the other.
 */
class TrustedProxiesIT {
    static final int PER_ADDRESS = 3;

    @TempDir
    Path dir;

    static AppServiceConfig limited(AppServiceConfig c, String trusted) {
        return c.withLimits(SmsCodes.Limits.defaults().withPerAddressPerHour(PER_ADDRESS), Logins.Policies.defaults())
                .withTrustedProxies(TrustedProxies.parse(trusted));
    }

    int phone;

    JsonNode askCode(AppFixture f, String forwardedFor) {
        String number = "1390000" + String.format("%04d", ++phone);
        return f.client.post("/api/v1/auth/sms-code", null, f.client.obj().put("phone", number),
                "X-Forwarded-For", forwardedFor);
    }

    @Test
    void behindATrustedProxyTwoClientsAreLimitedSeparately() {
        AppFixture f = new AppFixture("trusted_proxy", dir, c -> limited(c, "127.0.0.1"));
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                assertThat(askCode(f, "10.1.0.7").path("http_status").asInt()).isEqualTo(200);
            }
            JsonNode limited = askCode(f, "10.1.0.7");
            assertThat(limited.path("http_status").asInt()).isEqualTo(429);
            assertThat(limited.path("code").asText()).isEqualTo("SMS_RATE_LIMITED");
            assertThat(limited.path("message").asText()).contains("10.1.0.7");
            // another student behind the same proxy is not limited by the first one's codes; what a
            // client writes left of its own address (a forged 10.1.0.7) does not count
            for (int i = 0; i < PER_ADDRESS; i++) {
                assertThat(askCode(f, "10.1.0.7, 10.1.0.8").path("http_status").asInt()).isEqualTo(200);
            }
            assertThat(askCode(f, "10.1.0.8").path("http_status").asInt()).isEqualTo(429);
        } finally {
            f.close();
        }
    }

    @Test
    void fromAnUntrustedPeerAForgedForwardedForIsIgnored() {
        AppFixture f = new AppFixture("untrusted_peer", dir, c -> limited(c, ""));
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                assertThat(askCode(f, "10.2.0." + i).path("http_status").asInt()).isEqualTo(200);
            }
            JsonNode limited = askCode(f, "10.2.0.99");
            assertThat(limited.path("http_status").asInt()).isEqualTo(429);
            assertThat(limited.path("message").asText()).contains("127.0.0.1").doesNotContain("10.2.0");
        } finally {
            f.close();
        }
    }

    @Test
    void theClientIsTheRightMostUntrustedEntryAndGarbageNeverNamesIt() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.1, 10.0.0.2");
        assertThat(p.clientAddress("10.0.0.1", List.of("203.0.113.5, 198.51.100.7, 10.0.0.2"))).isEqualTo("198.51.100.7");
        assertThat(p.clientAddress("10.0.0.1", List.of("203.0.113.5", "198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(p.clientAddress("10.0.0.1", List.of("198.51.100.7, evil"))).isEqualTo("10.0.0.1");
        assertThat(p.clientAddress("10.0.0.1", List.of("198.51.100.7, evil, 10.0.0.2"))).isEqualTo("10.0.0.2");
        assertThat(p.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
        assertThat(p.clientAddress("192.0.2.1", List.of("198.51.100.7"))).isEqualTo("192.0.2.1");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.1, proxy.example.edu.cn"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'proxy.example.edu.cn'");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.256")).hasMessageContaining("'10.0.0.256'");
    }
}
