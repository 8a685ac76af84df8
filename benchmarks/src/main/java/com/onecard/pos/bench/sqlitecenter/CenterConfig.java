package com.onecard.pos.bench.sqlitecenter;

import java.nio.file.Path;
import java.util.Objects;

/**
 * @param port 0 picks an ephemeral port; read it back with {@link CenterServer#port()}
 */
public record CenterConfig(String host, int port, Path caCert, Path serverCert, Path serverKey, Path ledgerDb) {
    public CenterConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(serverCert, "serverCert");
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(ledgerDb, "ledgerDb");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("center port out of range: " + port);
        }
    }
}
