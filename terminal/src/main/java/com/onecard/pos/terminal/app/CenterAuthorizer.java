package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.sync.client.SyncClient;
import com.onecard.pos.sync.proto.AuthRequest;
import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.terminal.auth.DeclineReason;
import com.onecard.pos.terminal.sale.OnlineAuthorizer;
import com.onecard.pos.terminal.store.Purses;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Online authorization over the sync client: the sale flow's request and answer mapped to and from the wire. */
final class CenterAuthorizer implements OnlineAuthorizer {
    private final SyncClient sync;

    CenterAuthorizer(SyncClient sync) {
        this.sync = sync;
    }

    @Override
    public boolean connected() {
        return sync.status().connected();
    }

    @Override
    public CompletableFuture<Answer> authorize(Request r, Duration deadline) {
        AuthRequest.Builder req = AuthRequest.newBuilder().setSaleId(r.saleId()).setCardUid(ByteString.copyFrom(r.cardUid()))
                .setAccountId(r.accountId()).setAmountFen(r.amountFen()).setTimeMs(r.timeMs());
        if (r.pin() != null) {
            req.setPin(r.pin());
        }
        return sync.authorize(req.build(), deadline).thenApply(CenterAuthorizer::answer);
    }

    @Override
    public void release(String saleId) {
        sync.releaseHold(saleId);
    }

    static Answer answer(AuthResponse resp) {
        return new Answer(resp.getApproved(), resp.getApproved() ? null : reason(resp),
                new Purses(resp.getSubsidyFen(), resp.getCashFen()), resp.getAppliedSeq());
    }

    /**
     * The center's decline: its enum, or from a center older than the enum its text; a code this
     * firmware does not know reads as "declined by the card center", never as another reason.
     */
    static DeclineReason reason(AuthResponse resp) {
        return switch (resp.getDecline()) {
            case INSUFFICIENT_FUNDS -> DeclineReason.INSUFFICIENT_FUNDS;
            case LOST -> DeclineReason.LOST;
            case FROZEN -> DeclineReason.FROZEN;
            case UNKNOWN_CARD -> DeclineReason.UNKNOWN_CARD;
            case EXPIRED -> DeclineReason.EXPIRED;
            case PIN_WRONG -> DeclineReason.PIN_WRONG;
            case PIN_LOCKED -> DeclineReason.PIN_LOCKED;
            case DECLINE_UNSPECIFIED -> byName(resp.getReason());
            default -> DeclineReason.CENTER_DECLINED;
        };
    }

    private static DeclineReason byName(String code) {
        return switch (code) {
            case "INSUFFICIENT_FUNDS" -> DeclineReason.INSUFFICIENT_FUNDS;
            case "LOST" -> DeclineReason.LOST;
            case "FROZEN" -> DeclineReason.FROZEN;
            case "UNKNOWN_CARD" -> DeclineReason.UNKNOWN_CARD;
            case "EXPIRED" -> DeclineReason.EXPIRED;
            default -> DeclineReason.CENTER_DECLINED;
        };
    }
}
