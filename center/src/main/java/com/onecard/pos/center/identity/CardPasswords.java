package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;

/**
 * The card password as the app checks it (report loss, cancel a loss, pay a QR code above the
 * threshold). Every check is counted per account with an expiring back-off
 * ({@link AttemptCounters}), the same way as login passwords. The password is kept as an
 * Argon2id hash in {@code card_passwords}; an account without one is checked against its
 * terminal verifier or the card center's default ({@link CardPassword}), and the first right
 * answer stores its Argon2id hash, which decides from then on.
 */
public final class CardPasswords {
    static final String KIND = "card-password";

    private final UnitOfWork uow;
    private final AttemptCounters attempts;
    private final PasswordHasher hasher;
    private final AttemptCounters.Policy policy;
    private final Clock clock;

    public CardPasswords(UnitOfWork uow, AttemptCounters attempts, PasswordHasher hasher, AttemptCounters.Policy policy,
                         Clock clock) {
        this.uow = uow;
        this.attempts = attempts;
        this.hasher = hasher;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Checks the card password of {@code accountId}. Refusals: WRONG_CARD_PASSWORD (with
     * {@code attempts_left}), TOO_MANY_ATTEMPTS (back-off, with {@code retry_after_s}).
     */
    public void check(long accountId, String password) {
        AttemptCounters.Attempt attempt = attempts.reserve(KIND, Long.toString(accountId), policy,
                "card password of account " + accountId);
        Stored s = stored(accountId);
        boolean ok;
        if (s.hash != null) {
            ok = hasher.matches(s.hash, password);
        } else {
            ok = CardPassword.matches(s.pinVerifier, s.nationalId, password);
            if (ok) {
                set(accountId, password);
            }
        }
        if (!ok) {
            throw AppError.WRONG_CARD_PASSWORD.with("wrong card password for account " + accountId + "; "
                    + attempt.remaining() + " attempts left before a wait").detail("attempts_left", attempt.remaining());
        }
        attempts.succeeded(attempt);
    }

    /** Stores a new card password (Argon2id). */
    public void set(long accountId, String password) {
        String hash = hasher.hash(password);
        uow.run("setting the card password of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO card_passwords(account_id, password_hash, set_ms) VALUES (?, ?, ?)
                    ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash,
                      set_ms = excluded.set_ms""")) {
                p.setLong(1, accountId);
                p.setString(2, hash);
                p.setLong(3, clock.millis());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The card office clears the count (a student locked out by a back-off who proved who they are). */
    public void unlock(long accountId) {
        attempts.clear(KIND, Long.toString(accountId));
    }

    private record Stored(String hash, String pinVerifier, String nationalId) {
    }

    private Stored stored(long accountId) {
        return uow.read("reading the card password of " + accountId, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT c.password_hash, a.pin_verifier, a.national_id FROM accounts a
                    LEFT JOIN card_passwords c USING (account_id) WHERE a.account_id = ?""")) {
                p.setLong(1, accountId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw AppError.NOT_FOUND.with("account " + accountId + " not found");
                    }
                    return new Stored(r.getString(1), r.getString(2), r.getString(3));
                }
            }
        });
    }
}
