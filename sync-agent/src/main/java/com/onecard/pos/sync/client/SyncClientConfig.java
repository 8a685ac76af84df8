package com.onecard.pos.sync.client;

import javax.net.ssl.KeyManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom the terminal connects, and how it paces uploads.
 *
 * @param heartbeat   interval between heartbeats; the link is dropped after 3× this without a read
 * @param batchMaxRows rows per UploadBatch
 * @param batchLinger how long a wake() waits to gather more rows before sending a short batch
 * @param cert        the terminal's certificate, PEM (with {@code key})
 * @param key         its private key, PKCS#8 PEM; null when {@code keyManager} is given
 * @param keyManager  the terminal's TLS identity from its key token (the private key never leaves
 *                    it), or null to use {@code cert} and {@code key}
 */
public record SyncClientConfig(String host, int port, String terminalId, String firmwareVersion,
                               Path caCert, Path cert, Path key, Duration heartbeat,
                               int batchMaxRows, Duration batchLinger, KeyManagerFactory keyManager) {

    /** With the identity in PEM files. */
    public SyncClientConfig(String host, int port, String terminalId, String firmwareVersion, Path caCert, Path cert,
                            Path key, Duration heartbeat, int batchMaxRows, Duration batchLinger) {
        this(host, port, terminalId, firmwareVersion, caCert, cert, key, heartbeat, batchMaxRows, batchLinger, null);
    }

    public SyncClientConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(caCert, "caCert");
        if (keyManager == null) {
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(batchLinger, "batchLinger");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("sync port out of range: " + port);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("sync heartbeat must be positive: " + heartbeat);
        }
        if (batchMaxRows <= 0) {
            throw new IllegalArgumentException("sync batchMaxRows must be positive: " + batchMaxRows);
        }
        if (batchLinger.isNegative()) {
            throw new IllegalArgumentException("sync batchLinger must not be negative: " + batchLinger);
        }
    }
}
