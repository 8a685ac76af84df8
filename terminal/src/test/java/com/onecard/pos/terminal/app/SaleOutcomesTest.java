package com.onecard.pos.terminal.app;

import com.onecard.pos.terminal.sale.SaleOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SaleOutcomesTest {
    @Test
    void awaitingSalesThisTerminalNeverStartedLeavesNothingBehind() {
        SaleOutcomes o = new SaleOutcomes();
        for (int i = 0; i < 5000; i++) {
            assertThat(o.awaitable("T01-" + (1_000_000 + i))).isEmpty();
        }
        assertThat(o.held()).isZero();
        o.of("T01-1");
        assertThat(o.awaitable("T01-1")).isPresent();
        o.decided(new SaleOutcome("T01-1", true, null, 100, "901F2AA4", 7, "Li Lei", 0, 1, "offline", 0, 0));
        assertThat(o.awaitable("T01-1")).hasValueSatisfying(f -> assertThat(f).isDone());
        assertThat(o.held()).isEqualTo(1);
    }
}
