package com.onecard.pos.terminal.app;

import com.onecard.pos.sync.proto.AuthResponse;
import com.onecard.pos.terminal.auth.DeclineReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The center's decline as the cashier hears it: never a wrong reason for a code this firmware does not know. */
class CenterAuthorizerTest {
    static DeclineReason reason(AuthResponse.Builder r) {
        return CenterAuthorizer.answer(r.setApproved(false).build()).reason();
    }

    @Test
    void knownDeclinesKeepTheirReason() {
        assertThat(reason(AuthResponse.newBuilder().setDecline(AuthResponse.Decline.LOST))).isEqualTo(DeclineReason.LOST);
        assertThat(reason(AuthResponse.newBuilder().setDecline(AuthResponse.Decline.INSUFFICIENT_FUNDS)))
                .isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
    }

    @Test
    void aDeclineCodeFromANewerCenterReadsAsDeclinedByTheCardCenter() {
        assertThat(reason(AuthResponse.newBuilder().setDeclineValue(42).setReason("SOMETHING_NEW")))
                .isEqualTo(DeclineReason.CENTER_DECLINED);
        assertThat(reason(AuthResponse.newBuilder().setDecline(AuthResponse.Decline.CENTER_DECLINED)))
                .isEqualTo(DeclineReason.CENTER_DECLINED);
        assertThat(DeclineReason.CENTER_DECLINED.message()).isEqualTo("卡务中心拒绝 / declined by the card center");
    }

    @Test
    void aCenterOlderThanTheEnumIsReadByItsTextAndAnUnknownTextIsNeverInsufficientFunds() {
        assertThat(reason(AuthResponse.newBuilder().setReason("FROZEN"))).isEqualTo(DeclineReason.FROZEN);
        assertThat(reason(AuthResponse.newBuilder().setReason("CARD_BLOCKED"))).isEqualTo(DeclineReason.CENTER_DECLINED);
    }
}
