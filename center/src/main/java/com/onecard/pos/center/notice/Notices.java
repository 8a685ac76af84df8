package com.onecard.pos.center.notice;

import com.onecard.pos.center.db.UnitOfWork;

import java.sql.PreparedStatement;
import java.time.Clock;

/** Card-office notices to card holders' message boxes: to one account, or to every account in one statement. */
public final class Notices {
    private final UnitOfWork uow;
    private final Clock clock;

    public Notices(UnitOfWork uow, Clock clock) {
        this.uow = uow;
        this.clock = clock;
    }

    /** @param accountId null = every account; returns how many accounts got it (0 for an unknown account) */
    public int send(Long accountId, String text) {
        return uow.run("sending a notice", tx -> {
            try (PreparedStatement p = tx.c().prepareStatement(accountId == null
                    ? "INSERT INTO messages(account_id, text, time_ms) SELECT account_id, ?, ? FROM accounts"
                    : "INSERT INTO messages(account_id, text, time_ms) SELECT account_id, ?, ? FROM accounts"
                    + " WHERE account_id = ?")) {
                p.setString(1, text);
                p.setLong(2, clock.millis());
                if (accountId != null) {
                    p.setLong(3, accountId);
                }
                return p.executeUpdate();
            }
        });
    }
}
