package com.onecard.pos.center.sync;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTicketKeysTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-one".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "0123456789abcdef0123456789abcdef-two".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Path ca(String name) throws Exception {
        return Files.writeString(dir.resolve(name + ".pem"), "-----BEGIN CERTIFICATE----- " + name);
    }

    @Test
    void instancesHoldingTheSameSecretAndCaDeriveTheSameTicketKeysForADay() throws Exception {
        OpenSslSessionTicketKey a = new SessionTicketKeys(SECRET, ca("campus")).key(20_000);
        OpenSslSessionTicketKey b = new SessionTicketKeys(SECRET.clone(), ca("campus")).key(20_000);
        assertThat(a.name()).isEqualTo(b.name()).hasSize(OpenSslSessionTicketKey.NAME_SIZE);
        assertThat(a.hmacKey()).isEqualTo(b.hmacKey()).hasSize(OpenSslSessionTicketKey.HMAC_KEY_SIZE);
        assertThat(a.aesKey()).isEqualTo(b.aesKey()).hasSize(OpenSslSessionTicketKey.AES_KEY_SIZE);
    }

    @Test
    void eachDayEachSecretAndEachCaHasItsOwnTicketKeyAndItsPartsDiffer() throws Exception {
        SessionTicketKeys campus = new SessionTicketKeys(SECRET, ca("campus"));
        OpenSslSessionTicketKey day = campus.key(20_000);
        assertThat(campus.key(20_001).name()).isNotEqualTo(day.name());
        assertThat(campus.key(20_001).aesKey()).isNotEqualTo(day.aesKey());
        assertThat(new SessionTicketKeys(OTHER, ca("campus")).key(20_000).hmacKey()).isNotEqualTo(day.hmacKey());
        // a staging center with a copy of the secret but its own CA mints no ticket this campus opens
        assertThat(new SessionTicketKeys(SECRET, ca("staging")).key(20_000).aesKey()).isNotEqualTo(day.aesKey());
        assertThat(day.name()).isNotEqualTo(day.hmacKey()).isNotEqualTo(day.aesKey());
        assertThat(day.hmacKey()).isNotEqualTo(day.aesKey());
    }

    @Test
    void todaysKeySealsAndYesterdaysAndTomorrowsStillOpen() throws Exception {
        SessionTicketKeys keys = new SessionTicketKeys(SECRET, ca("campus"));
        OpenSslSessionTicketKey[] day = keys.forDay(20_001);
        assertThat(day).hasSize(3);
        assertThat(day[0].name()).isEqualTo(keys.key(20_001).name());
        assertThat(day[1].name()).isEqualTo(keys.key(20_000).name());
        assertThat(day[2].name()).isEqualTo(keys.key(20_002).name());
    }

    @Test
    void aShortSecretIsRefused() throws Exception {
        Path ca = ca("campus");
        assertThatThrownBy(() -> new SessionTicketKeys(new byte[31], ca)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThat(SessionTicketKeys.randomSecret()).hasSize(32).isNotEqualTo(SessionTicketKeys.randomSecret());
    }
}
