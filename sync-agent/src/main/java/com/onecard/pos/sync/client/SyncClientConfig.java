package com.onecard.pos.sync.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom the terminal connects, and how it paces uploads.
 *
 * @param heartbeat   interval between heartbeats; the link is dropped after 3× this without a read
 * @param batchMaxRows rows per UploadBatch
 * @param batchLinger how long a wake() waits to gather more rows before sending a short batch
 */
public record SyncClientConfig(String host, int port, String terminalId, String firmwareVersion,
                               Path caCert, Path cert, Path key, Duration heartbeat,
                               int batchMaxRows, Duration batchLinger) {
    public SyncClientConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
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
