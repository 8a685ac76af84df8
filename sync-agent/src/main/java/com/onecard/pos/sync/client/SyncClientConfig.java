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
 * @param reconnectSpread after a session with the center ends (center restarted, failed over, link
 *                    cut) the first reconnect waits a time drawn uniformly from [0, this], so a
 *                    fleet that lost the center together comes back spread over it; later failed
 *                    attempts back off from 100 ms doubling up to 5 s, jittered the same way.
 *                    Default {@link #DEFAULT_RECONNECT_SPREAD}
 */
public record SyncClientConfig(String host, int port, String terminalId, String firmwareVersion,
                               Path caCert, Path cert, Path key, Duration heartbeat,
                               int batchMaxRows, Duration batchLinger, KeyManagerFactory keyManager,
                               Duration reconnectSpread) {
    /**
     * 2 s: a center instance on 2 CPUs completes ≈ 300 terminal handshakes a second (docs/center.md,
     * sizing), so 1,000 terminals of one instance spread over 2 s arrive at about the rate it serves
     * them (its handshake gate queues the rest), and no terminal waits long for the center.
     */
    public static final Duration DEFAULT_RECONNECT_SPREAD = Duration.ofSeconds(2);

    /** With the identity from a key token or PEM files and {@link #DEFAULT_RECONNECT_SPREAD}. */
    public SyncClientConfig(String host, int port, String terminalId, String firmwareVersion, Path caCert, Path cert,
                            Path key, Duration heartbeat, int batchMaxRows, Duration batchLinger,
                            KeyManagerFactory keyManager) {
        this(host, port, terminalId, firmwareVersion, caCert, cert, key, heartbeat, batchMaxRows, batchLinger,
                keyManager, DEFAULT_RECONNECT_SPREAD);
    }

    /** With the identity in PEM files. */
    public SyncClientConfig(String host, int port, String terminalId, String firmwareVersion, Path caCert, Path cert,
                            Path key, Duration heartbeat, int batchMaxRows, Duration batchLinger) {
        this(host, port, terminalId, firmwareVersion, caCert, cert, key, heartbeat, batchMaxRows, batchLinger, null,
                DEFAULT_RECONNECT_SPREAD);
    }

    /** The same terminal with another reconnect spread. */
    public SyncClientConfig withReconnectSpread(Duration spread) {
        return new SyncClientConfig(host, port, terminalId, firmwareVersion, caCert, cert, key, heartbeat, batchMaxRows,
                batchLinger, keyManager, spread);
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
        Objects.requireNonNull(reconnectSpread, "reconnectSpread");
        if (reconnectSpread.isNegative() || reconnectSpread.toMillis() > 600_000) {
            throw new IllegalArgumentException("sync reconnectSpread must be from 0 to 600 s: " + reconnectSpread);
        }
        if (batchLinger.isNegative()) {
            throw new IllegalArgumentException("sync batchLinger must not be negative: " + batchLinger);
        }
    }
}
