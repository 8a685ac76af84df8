package com.onecard.pos.sync.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyncTlsTest {
    @Test
    void commonNameIsTheTerminalId() {
        assertThat(SyncTls.commonName("CN=T-0042,O=onecard-pos dev")).contains("T-0042");
        assertThat(SyncTls.commonName("O=onecard-pos dev")).isEmpty();
        assertThat(SyncTls.commonName("not a name")).isEmpty();
    }
}
