package com.onecard.pos.terminal.store;

import com.onecard.pos.sync.proto.HolderPhoto;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The card holders' approved photos (thumbnails from the "photos" stream), shown on the cashier's
 * side of the screen with each tap or code. Part of {@link Store}: same file, same writer, same
 * terminal thread.
 */
public final class PhotoCache {
    static final String STREAM = "photos";
    /** A thumbnail is a few kB; anything far larger is not one and is not stored. */
    static final int MAX_BYTES = 64 * 1024;

    private final Db db;

    PhotoCache(Db db) {
        this.db = db;
    }

    /**
     * Stores (replacing) an account's photo and moves the stream cursor, in one transaction.
     *
     * @throws IllegalArgumentException when the photo is empty or larger than {@value #MAX_BYTES} bytes
     */
    public void apply(HolderPhoto p, long streamVersion) {
        int n = p.getJpeg().size();
        if (n == 0 || n > MAX_BYTES) {
            throw new IllegalArgumentException("photo " + p.getPhotoId() + " of account " + p.getAccountId() + " is "
                    + n + " bytes; a thumbnail is 1 to " + MAX_BYTES);
        }
        db.tx("storing photo " + p.getPhotoId() + " of account " + p.getAccountId(), () -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT OR REPLACE INTO holder_photos(account_id, photo_id, jpeg) VALUES(?,?,?)")) {
                ps.setLong(1, p.getAccountId());
                ps.setLong(2, p.getPhotoId());
                ps.setBytes(3, p.getJpeg().toByteArray());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO cursors(stream,version) VALUES(?,?) ON CONFLICT(stream) DO UPDATE SET version=MAX(version,excluded.version)")) {
                ps.setString(1, STREAM);
                ps.setLong(2, streamVersion);
                ps.executeUpdate();
            }
        });
    }

    /** The account's photo (JPEG), if the center sent one. */
    public Optional<byte[]> of(long accountId) {
        try (PreparedStatement ps = db.prepare("SELECT jpeg FROM holder_photos WHERE account_id=?")) {
            ps.setLong(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.wrap("reading the photo of account " + accountId, e);
        }
    }

    public long count() {
        return db.queryLong("counting holder photos", "SELECT COUNT(*) FROM holder_photos");
    }
}
