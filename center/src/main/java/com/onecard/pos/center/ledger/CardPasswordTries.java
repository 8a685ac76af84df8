package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.Tx;
import com.onecard.pos.pin.PinVerifier;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The card password checked at the center, the only place that holds its verifier: a terminal
 * sends the password typed for a sale above its PIN threshold, the campus app the one typed for
 * a loss report. Wrong tries are counted per account across both (one password, one counter,
 * {@code accounts.password_failures}); at {@link #MAX_FAILURES} the password is locked until the
 * card office lifts it.
 */
public final class CardPasswordTries {
    /** Wrong passwords before the lock; the campus app uses the same number. */
    public static final int MAX_FAILURES = 5;

    enum Result { OK, WRONG, LOCKED }

    private CardPasswordTries() {
    }

    /** Checks {@code password} for the account, whose row the caller holds locked; counts a wrong one. */
    static Result check(Tx tx, long accountId, String pinVerifier, String password) throws SQLException {
        int failures;
        try (PreparedStatement p = tx.c().prepareStatement("SELECT password_failures FROM accounts WHERE account_id = ?")) {
            p.setLong(1, accountId);
            try (ResultSet r = p.executeQuery()) {
                failures = r.next() ? r.getInt(1) : 0;
            }
        }
        if (failures >= MAX_FAILURES) {
            return Result.LOCKED;
        }
        boolean ok = pinVerifier != null && !pinVerifier.isEmpty() && PinVerifier.matches(pinVerifier, password);
        int next = ok ? 0 : failures + 1;
        if (next != failures) {
            try (PreparedStatement p = tx.c().prepareStatement("UPDATE accounts SET password_failures = ? WHERE account_id = ?")) {
                p.setInt(1, next);
                p.setLong(2, accountId);
                p.executeUpdate();
            }
        }
        return ok ? Result.OK : next >= MAX_FAILURES ? Result.LOCKED : Result.WRONG;
    }
}
