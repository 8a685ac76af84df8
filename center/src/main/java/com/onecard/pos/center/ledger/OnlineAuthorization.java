package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.sync.proto.AuthResponse.Decline;

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

    public AuthResponse authorize(String terminalId, AuthRequest req) {
        return uow.run("authorizing sale " + req.getSaleId() + " for " + terminalId, tx -> {
            byte[] uid = req.getCardUid().toByteArray();
            Long accountId = AccountRow.accountOfCard(tx, uid);
            if (accountId == null && req.getAccountId() != 0
                    && AccountRow.find(tx, req.getAccountId(), false).isPresent()) {
                accountId = req.getAccountId();
            }
            long applied = TerminalRegistry.watermark(tx, terminalId);
            if (accountId == null) {
                return decline(Decline.UNKNOWN_CARD, 0, 0, applied);
            }
            AccountRow a = AccountRow.requireForUpdate(tx, accountId);
            AccountStatus st = AccountStatus.forNumber(a.status());
            if (st == AccountStatus.LOST || Blacklist.isListed(tx, uid)) {
                return decline(Decline.LOST, a.subsidyFen(), a.cashFen(), applied);
            }
            if (st == AccountStatus.FROZEN) {
                return decline(Decline.FROZEN, a.subsidyFen(), a.cashFen(), applied);
            }
            if (st == AccountStatus.EXPIRED) {
                return decline(Decline.EXPIRED, a.subsidyFen(), a.cashFen(), applied);
            }
            if (st != AccountStatus.ACTIVE) {
                return decline(Decline.CENTER_DECLINED, a.subsidyFen(), a.cashFen(), applied);
            }
            if (!req.getPin().isEmpty()) {
                // the terminal asked for the card password (a sale above its PIN threshold)
                switch (CardPasswordTries.check(tx, accountId, a.pinVerifier(), req.getPin())) {
                    case WRONG -> {
                        return decline(Decline.PIN_WRONG, a.subsidyFen(), a.cashFen(), applied);
                    }
                    case LOCKED -> {
                        return decline(Decline.PIN_LOCKED, a.subsidyFen(), a.cashFen(), applied);
                    }
                    case OK -> {
                        // checked: on to the money
                    }
                }
            }
            long now = clock.millis();
            String earlier = Holds.stateOf(tx, req.getSaleId());
            if ("RELEASED".equals(earlier) || "CONSUMED".equals(earlier)) {
                // The terminal gave this sale up (or completed it) before the request got here.
                return decline(Decline.CENTER_DECLINED, a.subsidyFen(), a.cashFen(), applied);
            }
            // A request repeated for the same sale (a retry) replaces its own hold, never adds to it.
            long own = "HELD".equals(earlier) ? Holds.heldFor(tx, req.getSaleId(), now) : 0;
            long held = Holds.held(tx, accountId, now) - own;
            if (a.subsidyFen() + a.cashFen() - held < req.getAmountFen()) {
                return decline(Decline.INSUFFICIENT_FUNDS, a.subsidyFen(), a.cashFen(), applied);
            }
            long expires = now + holdFor.toMillis();
            Holds.place(tx, req.getSaleId(), terminalId, accountId, req.getAmountFen(), now, expires);
            return AuthResponse.newBuilder().setApproved(true).setSubsidyFen(a.subsidyFen()).setCashFen(a.cashFen())
                    .setAppliedSeq(applied).setHoldExpiresMs(expires).build();
        });
    }

    private static AuthResponse decline(Decline why, long subsidy, long cash, long applied) {
        // reason carries the same code as text for terminals older than the enum
        return AuthResponse.newBuilder().setApproved(false).setDecline(why).setReason(why.name())
                .setSubsidyFen(subsidy).setCashFen(cash).setAppliedSeq(applied).build();
    }
}
