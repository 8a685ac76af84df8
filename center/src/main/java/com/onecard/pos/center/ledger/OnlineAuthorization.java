package com.onecard.pos.center.ledger;

import com.onecard.pos.center.db.UnitOfWork;
import com.onecard.pos.sync.proto.AccountStatus;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;

/** Online authorization of a card sale: the center's purses and card state answer the terminal. */
public final class OnlineAuthorization {
    private final UnitOfWork uow;

    public OnlineAuthorization(UnitOfWork uow) {
        this.uow = uow;
    }

    /** Read-only: the sale's journal row debits later, when it is uploaded. */
    public AuthResponse authorize(String terminalId, AuthRequest req) {
        return uow.read("authorizing sale " + req.getSaleId() + " for " + terminalId, tx -> {
            byte[] uid = req.getCardUid().toByteArray();
            Long accountId = AccountRow.accountOfCard(tx, uid);
            if (accountId == null && req.getAccountId() != 0
                    && AccountRow.find(tx, req.getAccountId(), false).isPresent()) {
                accountId = req.getAccountId();
            }
            long applied = TerminalRegistry.watermark(tx, terminalId);
            if (accountId == null) {
                return AuthResponse.newBuilder().setApproved(false).setReason("UNKNOWN_CARD").setAppliedSeq(applied)
                        .build();
            }
            AccountRow a = AccountRow.require(tx, accountId);
            AccountStatus st = AccountStatus.forNumber(a.status());
            String reason = null;
            if (st == AccountStatus.LOST || Blacklist.isListed(tx, uid)) {
                reason = "LOST";
            } else if (st == AccountStatus.FROZEN) {
                reason = "FROZEN";
            } else if (st != AccountStatus.ACTIVE) {
                reason = String.valueOf(st);
            } else if (a.subsidyFen() + a.cashFen() < req.getAmountFen()) {
                reason = "INSUFFICIENT_FUNDS";
            }
            AuthResponse.Builder b = AuthResponse.newBuilder().setApproved(reason == null)
                    .setSubsidyFen(a.subsidyFen()).setCashFen(a.cashFen()).setAppliedSeq(applied);
            if (reason != null) {
                b.setReason(reason);
            }
            return b.build();
        });
    }
}
