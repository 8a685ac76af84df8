package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.AuthResponse.Decline;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Online authorization of a card sale. The account's row is locked while its purses and holds
 * are read, and an approval places a hold on the amount (keyed by sale id, see {@link Holds}):
 * two windows asking for the same last yuan at once get one approval and one decline. A request
 * that carries a card password is checked here ({@link CardPasswordTries}): terminals hold no
 * password verifiers.
 */
public final class OnlineAuthorization {
    private final UnitOfWork uow;
    private final Clock clock;
    private final Duration holdFor;

    /** @param holdFor how long an approval holds the amount if the sale's row does not come */
    public OnlineAuthorization(UnitOfWork uow, Clock clock, Duration holdFor) {
        this.uow = uow;
        this.clock = clock;
        this.holdFor = holdFor;
    }

    /**
     * Three statements and the commit: the account locked with what the decision needs, the
     * account's holds read after the lock (a fresh snapshot: a hold another window placed while we
     * waited counts), the hold placed.
     */
    public AuthResponse authorize(String terminalId, AuthRequest req) {
        return uow.run("authorizing sale " + req.getSaleId() + " for " + terminalId, tx -> {
            long accountId;
            int status;
            long subsidy;
            long cash;
            boolean listed;
            long applied;
            String pinVerifier;
            try (PreparedStatement p = tx.c().prepareStatement("""
                    SELECT a.account_id, a.status, a.subsidy_fen, a.cash_fen,
                      EXISTS (SELECT 1 FROM blacklist b WHERE b.card_uid = ? AND b.listed),
                      (SELECT applied_seq FROM terminals WHERE id = ?), a.pin_verifier
                    FROM accounts a
                    WHERE a.account_id = COALESCE((SELECT account_id FROM cards WHERE card_uid = ?), ?)
                    FOR UPDATE OF a""")) {
                byte[] uid = req.getCardUid().toByteArray();
                p.setBytes(1, uid);
                p.setString(2, terminalId);
                p.setBytes(3, uid);
                p.setLong(4, req.getAccountId());
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return decline(Decline.UNKNOWN_CARD, 0, 0, TerminalRegistry.watermark(tx, terminalId));
                    }
                    accountId = r.getLong(1);
                    status = r.getInt(2);
                    subsidy = r.getLong(3);
                    cash = r.getLong(4);
                    listed = r.getBoolean(5);
                    applied = r.getLong(6);
                    pinVerifier = r.getString(7);
                }
            }
            AccountStatus st = AccountStatus.forNumber(status);
            if (st == AccountStatus.LOST || listed) {
                return decline(Decline.LOST, subsidy, cash, applied);
            }
            if (st == AccountStatus.FROZEN) {
                return decline(Decline.FROZEN, subsidy, cash, applied);
            }
            if (st == AccountStatus.EXPIRED) {
                return decline(Decline.EXPIRED, subsidy, cash, applied);
            }
            if (st != AccountStatus.ACTIVE) {
                return decline(Decline.CENTER_DECLINED, subsidy, cash, applied);
            }
            if (!req.getPin().isEmpty()) {
                // the terminal asked for the card password (a sale above its PIN threshold)
                switch (CardPasswordTries.check(tx, accountId, pinVerifier, req.getPin())) {
                    case WRONG -> {
                        return decline(Decline.PIN_WRONG, subsidy, cash, applied);
                    }
                    case LOCKED -> {
                        return decline(Decline.PIN_LOCKED, subsidy, cash, applied);
                    }
                    case OK -> {
                        // checked: on to the money
                    }
                }
            }
            long now = clock.millis();
            Holds.Standing holds = Holds.standing(tx, accountId, req.getSaleId(), now);
            if (holds.ownTerminal() != null && !holds.ownTerminal().equals(terminalId)) {
                // another terminal's sale id: its hold is not this terminal's to replace, and no
                // approval goes out without a hold of its own
                return decline(Decline.CENTER_DECLINED, subsidy, cash, applied);
            }
            if ("RELEASED".equals(holds.ownState()) || "CONSUMED".equals(holds.ownState())) {
                // The terminal gave this sale up (or completed it) before the request got here.
                return decline(Decline.CENTER_DECLINED, subsidy, cash, applied);
            }
            // A request repeated for the same sale (a retry) replaces its own hold, never adds to it.
            if (subsidy + cash - holds.othersFen() < req.getAmountFen()) {
                return decline(Decline.INSUFFICIENT_FUNDS, subsidy, cash, applied);
            }
            long expires = now + holdFor.toMillis();
            Holds.place(tx, req.getSaleId(), terminalId, accountId, req.getAmountFen(), now, expires);
            return AuthResponse.newBuilder().setApproved(true).setSubsidyFen(subsidy).setCashFen(cash)
                    .setAppliedSeq(applied).setHoldExpiresMs(expires).build();
        });
    }

    private static AuthResponse decline(Decline why, long subsidy, long cash, long applied) {
        // reason carries the same code as text for terminals older than the enum
        return AuthResponse.newBuilder().setApproved(false).setDecline(why).setReason(why.name())
                .setSubsidyFen(subsidy).setCashFen(cash).setAppliedSeq(applied).build();
    }
}
