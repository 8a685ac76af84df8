package com.onecard.pos.center.sync;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTicketKeysTest {
    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY----- one center".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "-----BEGIN PRIVATE KEY----- another".getBytes(StandardCharsets.US_ASCII);

    @Test
    void instancesHoldingTheSameKeyDeriveTheSameTicketKeysForADay() {
        OpenSslSessionTicketKey a = SessionTicketKeys.key(SECRET, 20_000);
        OpenSslSessionTicketKey b = SessionTicketKeys.key(SECRET.clone(), 20_000);
        assertThat(a.name()).isEqualTo(b.name()).hasSize(OpenSslSessionTicketKey.NAME_SIZE);
        assertThat(a.hmacKey()).isEqualTo(b.hmacKey()).hasSize(OpenSslSessionTicketKey.HMAC_KEY_SIZE);
        assertThat(a.aesKey()).isEqualTo(b.aesKey()).hasSize(OpenSslSessionTicketKey.AES_KEY_SIZE);
    }

    @Test
    void eachDayAndEachKeyHasItsOwnTicketKeyAndItsPartsDiffer() {
        OpenSslSessionTicketKey day = SessionTicketKeys.key(SECRET, 20_000);
        assertThat(SessionTicketKeys.key(SECRET, 20_001).name()).isNotEqualTo(day.name());
        assertThat(SessionTicketKeys.key(SECRET, 20_001).aesKey()).isNotEqualTo(day.aesKey());
        assertThat(SessionTicketKeys.key(OTHER, 20_000).hmacKey()).isNotEqualTo(day.hmacKey());
        assertThat(day.name()).isNotEqualTo(day.hmacKey()).isNotEqualTo(day.aesKey());
        assertThat(day.hmacKey()).isNotEqualTo(day.aesKey());
    }

    @Test
    void todaysKeySealsAndYesterdaysStillOpens() {
        OpenSslSessionTicketKey[] keys = SessionTicketKeys.forDay(SECRET, 20_001);
        assertThat(keys).hasSize(2);
        assertThat(keys[0].name()).isEqualTo(SessionTicketKeys.key(SECRET, 20_001).name());
        assertThat(keys[1].name()).isEqualTo(SessionTicketKeys.key(SECRET, 20_000).name());
    }
}
