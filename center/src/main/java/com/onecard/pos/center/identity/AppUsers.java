package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.Tx;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.Optional;

/**
 * The people who log in to the campus app: students (login name = student number, one card
 * account each) and card-office staff (role admin, no account). A student's password hash is
 * null until the first change: until then the initial password applies ({@link InitialPassword}).
 */
public final class AppUsers {
    public enum Role { STUDENT, ADMIN }

    /** One user as stored; {@code accountId} null for staff, {@code phone} null until bound. */
    public record User(long userId, String loginName, Long accountId, Role role, String passwordHash, String phone) {
        public boolean initialPassword() {
            return passwordHash == null;
        }

        @Override
        public String toString() {
            return "User[" + userId + ", " + loginName + ", " + role + "]";
        }
    }

    private static final String COLUMNS = "user_id, login_name, account_id, role, password_hash, phone";

    private final UnitOfWork uow;
    private final Clock clock;

    public AppUsers(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /** Enrols the holder of card account {@code accountId} under student number {@code studentNumber}. */
    public long enrolStudent(long accountId, String studentNumber) {
        return insert(studentNumber, accountId, Role.STUDENT, null, null);
    }

    /** A card-office login with its password already hashed and its phone for codes. */
    public long enrolAdmin(String loginName, String passwordHash, String phone) {
        return insert(loginName, null, Role.ADMIN, passwordHash, phone);
    }

    private long insert(String loginName, Long accountId, Role role, String hash, String phone) {
        return uow.run("enrolling " + loginName, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO app_users(login_name, account_id, role, password_hash, phone, created_ms)
                    VALUES (?, ?, ?, ?, ?, ?) RETURNING user_id""")) {
                p.setString(1, loginName);
                if (accountId == null) {
                    p.setNull(2, Types.BIGINT);
                } else {
                    p.setLong(2, accountId);
                }
                p.setString(3, role.name().toLowerCase(java.util.Locale.ROOT));
                p.setString(4, hash);
                p.setString(5, phone);
                p.setLong(6, clock.millis());
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    public Optional<User> byLogin(String loginName) {
        return uow.read("reading user " + loginName, tx -> find(tx, "login_name = ?", loginName));
    }

    public Optional<User> byPhone(String phone) {
        return uow.read("reading the user of a phone", tx -> find(tx, "phone = ?", phone));
    }

    public Optional<User> byId(long userId) {
        return uow.read("reading user " + userId, tx -> find(tx, "user_id = ?", userId));
    }

    public Optional<User> byAccount(long accountId) {
        return uow.read("reading the user of account " + accountId, tx -> find(tx, "account_id = ?", accountId));
    }

    static Optional<User> find(Tx tx, String where, Object key) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement("SELECT " + COLUMNS + " FROM app_users WHERE " + where)) {
            p.setObject(1, key);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long acc = r.getLong(3);
                Long account = r.wasNull() ? null : acc;
                return Optional.of(new User(r.getLong(1), r.getString(2), account,
                        Role.valueOf(r.getString(4).toUpperCase(java.util.Locale.ROOT)), r.getString(5), r.getString(6)));
            }
        }
    }

    public void setPassword(long userId, String passwordHash) {
        uow.run("setting the password of user " + userId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "UPDATE app_users SET password_hash = ? WHERE user_id = ?")) {
                p.setString(1, passwordHash);
                p.setLong(2, userId);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Binds {@code phone} to the user inside {@code tx}; PHONE_TAKEN when another user holds it. */
    static void bindPhone(Tx tx, long userId, String phone) throws SQLException {
        try (PreparedStatement p = tx.c().prepareStatement(
                "SELECT user_id FROM app_users WHERE phone = ? AND user_id <> ? FOR UPDATE")) {
            p.setString(1, phone);
            p.setLong(2, userId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    throw AppError.PHONE_TAKEN.with("this number is bound to another account; the old holder"
                            + " changes it in the app, or the card office does");
                }
            }
        }
        try (PreparedStatement p = tx.c().prepareStatement("UPDATE app_users SET phone = ? WHERE user_id = ?")) {
            p.setString(1, phone);
            p.setLong(2, userId);
            p.executeUpdate();
        }
    }

    /** The national ID number on the user's card account, null when none is on file. */
    public String nationalId(long accountId) {
        return uow.read("reading the national id of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("SELECT national_id FROM accounts WHERE account_id = ?")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }
}
