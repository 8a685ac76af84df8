package com.onecard.pos.center.identity;

import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Counted failures with a back-off that expires: wrong passwords, wrong codes, wrong card
 * passwords, per subject (a user, a phone number, a client address).
 *
 * <p>An attempt is counted <em>before</em> it is checked ({@link #reserve}), in one transaction
 * holding the counter's row lock, and cleared when it succeeds ({@link #succeeded}); so twenty
 * attempts racing in parallel get exactly {@code freeFailures} checks between them, never
 * twenty (the old check-then-increment race). After {@code freeFailures} failures the subject
 * waits {@code firstBackOff}, doubled by each further failure up to {@code maxBackOff}; a
 * quiet {@code forgetAfter} clears the count. Nothing is locked for good, so nobody can lock
 * another person out for longer than {@code maxBackOff}.
 */
public final class AttemptCounters {
    /** How many failures are free and how long the back-off after them lasts. */
    public record Policy(int freeFailures, Duration firstBackOff, Duration maxBackOff, Duration forgetAfter) {
        public Policy {
            if (freeFailures < 1) {
                throw new IllegalArgumentException("free failures must be at least 1, got " + freeFailures);
            }
        }

        long backOffMs(int failures) {
            int over = Math.min(failures - freeFailures, 20);
            long ms = firstBackOff.toMillis() << Math.max(over, 0);
            return Math.min(ms, maxBackOff.toMillis());
        }
    }

    /** An attempt counted in advance; {@code remaining} more may follow before the back-off. */
    public record Attempt(String kind, String subject, int remaining, int freeFailures) {
    }

    private final UnitOfWork uow;
    private final Clock clock;

    public AttemptCounters(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /**
     * Counts one attempt as a failure in advance; {@link Refusal} TOO_MANY_ATTEMPTS (with
     * {@code retry_after_s}) while the subject is in back-off, and then nothing is counted.
     */
    public Attempt reserve(String kind, String subject, Policy policy, String what) {
        return uow.run("counting an attempt of " + kind, tx -> {
            long now = clock.millis();
            int failures;
            long last;
            long lockedUntil;
            // One statement creates the counter or takes the existing one's row lock and reads it, so a
            // concurrent clear (DELETE) or first attempt can never leave this transaction without its row.
            try (PreparedStatement p = tx.c().prepareStatement("""
                    INSERT INTO attempt_counters(kind, subject) VALUES (?, ?)
                    ON CONFLICT (kind, subject) DO UPDATE SET kind = excluded.kind
                    RETURNING failures, last_failure_ms, locked_until_ms""")) {
                p.setString(1, kind);
                p.setString(2, subject);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    failures = r.getInt(1);
                    last = r.getLong(2);
                    lockedUntil = r.getLong(3);
                }
            }
            if (lockedUntil > now) {
                long seconds = (lockedUntil - now + 999) / 1000;
                throw AppError.TOO_MANY_ATTEMPTS.with(what + ": too many failures; try again in " + seconds + " s")
                        .detail("retry_after_s", seconds);
            }
            if (failures > 0 && now - last >= policy.forgetAfter().toMillis()) {
                failures = 0;
            }
            failures++;
            long until = failures >= policy.freeFailures() ? now + policy.backOffMs(failures) : 0;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE attempt_counters SET failures = ?, last_failure_ms = ?, locked_until_ms = ?
                    WHERE kind = ? AND subject = ?""")) {
                p.setInt(1, failures);
                p.setLong(2, now);
                p.setLong(3, until);
                p.setString(4, kind);
                p.setString(5, subject);
                p.executeUpdate();
            }
            return new Attempt(kind, subject, Math.max(0, policy.freeFailures() - failures), policy.freeFailures());
        });
    }

    /** The attempt was right: the count and any back-off of its subject are cleared. */
    public void succeeded(Attempt a) {
        clear(a.kind(), a.subject());
    }

    /**
     * The attempt was right but says nothing about the subject's other attempts (a client address
     * shared by many phones): only this attempt's advance count is taken back.
     */
    public void release(Attempt a) {
        uow.run("releasing an attempt of " + a.kind(), tx -> {
            try (PreparedStatement p = tx.c().prepareStatement("""
                    UPDATE attempt_counters SET failures = greatest(failures - 1, 0),
                      locked_until_ms = CASE WHEN failures - 1 < ? THEN 0 ELSE locked_until_ms END
                    WHERE kind = ? AND subject = ?""")) {
                p.setInt(1, a.freeFailures());
                p.setString(2, a.kind());
                p.setString(3, a.subject());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Clears a subject's count (a success, or the card office's unlock). */
    public void clear(String kind, String subject) {
        uow.run("clearing attempts of " + kind, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "DELETE FROM attempt_counters WHERE kind = ? AND subject = ?")) {
                p.setString(1, kind);
                p.setString(2, subject);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Failures counted now for the subject (0 when none or forgotten); for status pages and tests. */
    public int failures(String kind, String subject) {
        return uow.read("reading attempts of " + kind, tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(
                    "SELECT failures FROM attempt_counters WHERE kind = ? AND subject = ?")) {
                p.setString(1, kind);
                p.setString(2, subject);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getInt(1) : 0;
                }
            }
        });
    }
}
