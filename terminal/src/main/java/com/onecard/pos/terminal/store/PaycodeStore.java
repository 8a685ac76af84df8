package com.onecard.pos.terminal.store;

import com.onecard.pos.paycode.P256;
import com.onecard.pos.paycode.Paycode;
import com.onecard.pos.sync.proto.PaycodeIssuerKey;
import com.onecard.pos.sync.proto.PaycodeRevocation;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * What the terminal keeps to verify payment codes offline (docs/paycode.md): the center's
 * issuer public keys and the revoked device certificates, both from the "paycode" stream, and
 * the replay cache of codes already paid here. Part of {@link Store}: same file, same writer,
 * same terminal thread.
 */
public final class PaycodeStore {
    static final String STREAM = "paycode";
    /** Seen codes are kept this many time steps (one hour), far beyond any code's lifetime. */
    static final long KEEP_STEPS = 120;

    private final Db db;
    /** Issuer keys by id, read by every scan: kept in memory, replaced whole when one is added. */
    private volatile Map<Integer, PublicKey> issuers = Map.of();

    PaycodeStore(Db db) {
        this.db = db;
    }

    /** Reads the issuer keys into memory; after the schema exists. */
    void load() {
        Map<Integer, PublicKey> m = new HashMap<>();
        try (Statement st = db.db.createStatement(); ResultSet rs = st.executeQuery("SELECT key_id, point FROM paycode_issuers")) {
            while (rs.next()) {
                m.put(rs.getInt(1), P256.publicKey(rs.getBytes(2)));
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading payment-code issuer keys", e);
        }
        issuers = Map.copyOf(m);
    }

    /** The issuer key with this id, or null when the center never sent it. */
    public PublicKey issuer(int keyId) {
        return issuers.get(keyId);
    }

    public int issuerCount() {
        return issuers.size();
    }

    /**
     * Stores an issuer key and moves the stream cursor, in one transaction.
     *
     * @throws IllegalArgumentException when the point is not a P-256 key or its id is not the point's
     */
    public void applyIssuer(PaycodeIssuerKey k, long streamVersion) {
        byte[] point = k.getPoint().toByteArray();
        PublicKey key = P256.publicKey(point);
        if (P256.keyId(point) != k.getKeyId()) {
            throw new IllegalArgumentException("payment-code issuer key id " + Integer.toHexString(k.getKeyId())
                    + " is not its point's (" + Integer.toHexString(P256.keyId(point)) + ")");
        }
        db.tx("storing payment-code issuer key " + Integer.toHexString(k.getKeyId()), () -> {
            try (PreparedStatement ps = db.prepare("INSERT OR REPLACE INTO paycode_issuers(key_id, point) VALUES(?,?)")) {
                ps.setInt(1, k.getKeyId());
                ps.setBytes(2, point);
                ps.executeUpdate();
            }
            putCursor(streamVersion);
        });
        Map<Integer, PublicKey> m = new HashMap<>(issuers);
        m.put(k.getKeyId(), key);
        issuers = Map.copyOf(m);
    }

    /** Stores a revoked certificate serial and moves the stream cursor, in one transaction. */
    public void applyRevocation(PaycodeRevocation r, long streamVersion) {
        db.tx("storing revocation of payment-code certificate " + r.getSerial(), () -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT OR REPLACE INTO paycode_revoked(serial, account_id, revoked_at_ms, reason) VALUES(?,?,?,?)")) {
                ps.setLong(1, r.getSerial());
                ps.setLong(2, r.getAccountId());
                ps.setLong(3, r.getRevokedAtMs());
                ps.setString(4, r.getReason());
                ps.executeUpdate();
            }
            putCursor(streamVersion);
        });
    }

    private void putCursor(long version) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO cursors(stream,version) VALUES(?,?) ON CONFLICT(stream) DO UPDATE SET version=MAX(version,excluded.version)")) {
            ps.setString(1, STREAM);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
    }

    public boolean revoked(long serial) {
        return db.queryLong("reading payment-code revocations", "SELECT COUNT(*) FROM paycode_revoked WHERE serial=?",
                serial) > 0;
    }

    public long revokedCount() {
        return db.queryLong("counting payment-code revocations", "SELECT COUNT(*) FROM paycode_revoked");
    }

    /** True when this code (certificate, time step, counter) was paid at this terminal. */
    public boolean seen(Paycode code) {
        return db.queryLong("reading the payment-code replay cache",
                "SELECT COUNT(*) FROM paycode_seen WHERE serial=? AND time_step=? AND counter=?",
                code.certificate().serial(), code.timeStep(), (long) code.counter()) > 0;
    }

    /**
     * Records a paid code inside the sale's transaction; a code already recorded fails the
     * transaction (primary key), so a code is never paid twice here. Drops entries older than
     * {@link #KEEP_STEPS} steps before it.
     */
    void markSeen(Paycode code, long seq) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO paycode_seen(serial, time_step, counter, seq) VALUES(?,?,?,?)")) {
            ps.setLong(1, code.certificate().serial());
            ps.setLong(2, code.timeStep());
            ps.setInt(3, code.counter());
            ps.setLong(4, seq);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepare("DELETE FROM paycode_seen WHERE time_step < ?")) {
            ps.setLong(1, code.timeStep() - KEEP_STEPS);
            ps.executeUpdate();
        }
    }
}
