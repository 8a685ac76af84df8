package com.onecard.pos.center.identity;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppKeysTest {
    @Test
    void eachUseHasItsOwnKeyAndNoneIsTheSecret() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        AppKeys k = AppKeys.derive(secret);
        assertThat(k.accessTokens()).hasSize(32).isNotEqualTo(secret).isNotEqualTo(k.smsCodes());
        assertThat(k.smsCodes()).hasSize(32).isNotEqualTo(secret);
        assertThat(k.refreshTokens()).hasSize(32).isNotEqualTo(secret).isNotEqualTo(k.accessTokens())
                .isNotEqualTo(k.smsCodes());
    }

    @Test
    void instancesSharingTheSecretDeriveTheSameKeysAndAnotherSecretOthers() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[31] = 1;
        assertThat(AppKeys.derive(a).accessTokens()).isEqualTo(AppKeys.derive(a.clone()).accessTokens());
        assertThat(AppKeys.derive(a).smsCodes()).isEqualTo(AppKeys.derive(a.clone()).smsCodes());
        assertThat(AppKeys.derive(a).refreshTokens()).isEqualTo(AppKeys.derive(a.clone()).refreshTokens());
        assertThat(AppKeys.derive(a).accessTokens()).isNotEqualTo(AppKeys.derive(b).accessTokens());
    }

    @Test
    void aShortSecretIsRefusedNamingItsLength() {
        assertThatThrownBy(() -> AppKeys.derive(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes, got 16");
    }
}
