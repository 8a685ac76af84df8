package com.onecard.pos.center.photo;

import com.google.protobuf.ByteString;
import com.onecard.pos.center.ledger.Streams;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.sync.proto.HolderPhoto;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.center.ledger.Messages;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Card photos: a student's upload waits (PENDING) for the card office's review; an approved one
 * becomes the card photo (the previous card photo is REPLACED), a rejected one says why. A
 * newer upload replaces a pending one. The owner gets a message with the outcome.
 */
public final class Photos {
    public enum State { PENDING, APPROVED, REJECTED, REPLACED }

    /** A photo without its bytes. */
    public record Photo(long photoId, long accountId, int width, int height, int bytes, State state, String reason,
                        long submittedMs, Long reviewedMs, String reviewer) {
    }

    private static final String COLUMNS = "photo_id, account_id, width, height, length(jpeg), state, reason,"
            + " submitted_ms, reviewed_ms, reviewer";

    private final UnitOfWork uow;
    private final Messages messages;
    private final PhotoRules rules;
    private final Clock clock;

    public Photos(UnitOfWork uow, Messages messages, PhotoRules rules, Clock clock) {
        this.uow = uow;
        this.messages = messages;
        this.rules = rules;
        this.clock = clock;
    }

    public PhotoRules rules() {
        return rules;
    }

    /** Checks and stores an upload as PENDING; refusals from {@link PhotoRules#check}. */
    public Photo submit(long accountId, byte[] jpeg) {
        PhotoRules.Checked c = rules.check(jpeg);
        long id = uow.run("storing a photo of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "UPDATE photos SET state = 'REPLACED' WHERE account_id = ? AND state = 'PENDING'")) {
                p.setLong(1, accountId);
                p.executeUpdate();
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO photos(account_id, jpeg, width, height, state, submitted_ms)
                    VALUES (?, ?, ?, ?, 'PENDING', ?) RETURNING photo_id""")) {
                p.setLong(1, accountId);
                p.setBytes(2, jpeg);
                p.setInt(3, c.width());
                p.setInt(4, c.height());
                p.setLong(5, clock.millis());
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
        return find(id).orElseThrow();
    }

    public Optional<Photo> find(long photoId) {
        List<Photo> l = list("SELECT " + COLUMNS + " FROM photos WHERE photo_id = ?", photoId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Photos waiting for review, oldest first. */
    public List<Photo> pending(int limit) {
        return list("SELECT " + COLUMNS + " FROM photos WHERE state = 'PENDING' ORDER BY submitted_ms LIMIT ?", limit);
    }

    /** The account's photos, newest first. */
    public List<Photo> ofAccount(long accountId) {
        return list("SELECT " + COLUMNS + " FROM photos WHERE account_id = ? ORDER BY photo_id DESC", accountId);
    }

    /** The card photo: the newest approved one. */
    public Optional<Photo> cardPhoto(long accountId) {
        List<Photo> l = list("SELECT " + COLUMNS + " FROM photos WHERE account_id = ? AND state = 'APPROVED'"
                + " ORDER BY photo_id DESC LIMIT 1", accountId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public Optional<byte[]> jpeg(long photoId) {
        return uow.read("reading photo " + photoId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("SELECT jpeg FROM photos WHERE photo_id = ?")) {
                p.setLong(1, photoId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The card office's decision. Refusals: NOT_FOUND, PHOTO_ALREADY_REVIEWED, BAD_FIELD
     * (reason missing on a rejection).
     */
    public Photo review(long photoId, boolean approve, String reason, String reviewer) {
        if (!approve && (reason == null || reason.isBlank())) {
            throw com.onecard.pos.center.app.error.Refusal.badField("reason", "is needed to reject a photo");
        }
        long accountId = uow.run("reviewing photo " + photoId, tx -> {
            long account;
            String state;
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT account_id, state FROM photos WHERE photo_id = ? FOR UPDATE")) {
                p.setLong(1, photoId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw AppError.NOT_FOUND.with("photo " + photoId + " not found");
                    }
                    account = r.getLong(1);
                    state = r.getString(2);
                }
            }
            if (!state.equals("PENDING")) {
                throw AppError.PHOTO_ALREADY_REVIEWED.with("photo " + photoId + " is " + state);
            }
            if (approve) {
                try (PreparedStatement p = tx.c().prepareStatement(
                        "UPDATE photos SET state = 'REPLACED' WHERE account_id = ? AND state = 'APPROVED'")) {
                    p.setLong(1, account);
                    p.executeUpdate();
                }
                // the windows show the holder's photo with each tap: a thumbnail goes to every terminal
                tx.append(Streams.PHOTOS, null, Downstream.newBuilder().setHolderPhoto(HolderPhoto.newBuilder()
                        .setAccountId(account).setPhotoId(photoId)
                        .setJpeg(ByteString.copyFrom(Thumbnails.of(jpegOf(tx, photoId), photoId)))));
            }
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE photos SET state = ?, reason = ?, reviewed_ms = ?, reviewer = ? WHERE photo_id = ?""")) {
                p.setString(1, approve ? "APPROVED" : "REJECTED");
                p.setString(2, reason);
                p.setLong(3, clock.millis());
                p.setString(4, reviewer);
                p.setLong(5, photoId);
                p.executeUpdate();
            }
            return account;
        });
        messages.addMessage(accountId, approve
                ? "您的照片已通过审核，成为一卡通照片。Your photo was approved and is now your card photo."
                : "您的照片未通过审核：" + reason + "。Your photo was not approved: " + reason);
        return find(photoId).orElseThrow();
    }

    private static byte[] jpegOf(com.onecard.pos.center.db.Tx tx, long photoId) throws java.sql.SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT jpeg FROM photos WHERE photo_id = ?")) {
            p.setLong(1, photoId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getBytes(1);
            }
        }
    }

    private List<Photo> list(String sql, Object... args) {
        return uow.read("reading photos", tx -> {
            List<Photo> out = new ArrayList<>();
            try (PreparedStatement p = tx.c().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(read(r));
                    }
                }
            }
            return out;
        });
    }

    private static Photo read(ResultSet r) throws SQLException {
        long reviewed = r.getLong(9);
        Long reviewedMs = r.wasNull() ? null : reviewed;
        return new Photo(r.getLong(1), r.getLong(2), r.getInt(3), r.getInt(4), r.getInt(5), State.valueOf(r.getString(6)),
                r.getString(7), r.getLong(8), reviewedMs, r.getString(10));
    }
}
