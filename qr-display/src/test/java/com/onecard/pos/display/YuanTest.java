package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YuanTest {
    @Test
    void formatsFenAsYuan() {
        assertThat(Yuan.format(1250)).isEqualTo("¥12.50");
        assertThat(Yuan.format(5)).isEqualTo("¥0.05");
        assertThat(Yuan.format(0)).isEqualTo("¥0.00");
        assertThat(Yuan.format(-300)).isEqualTo("-¥3.00");
        assertThat(Yuan.format(Long.MAX_VALUE)).isEqualTo("¥92233720368547758.07");
    }

    @Test
    void readsWhatACashierTypesAndNothingElse() {
        assertThat(Yuan.parseFen("12.50")).isEqualTo(1250);
        assertThat(Yuan.parseFen("12.5")).isEqualTo(1250);
        assertThat(Yuan.parseFen("12.500")).isEqualTo(1250);
        assertThat(Yuan.parseFen("12")).isEqualTo(1200);
        assertThat(Yuan.parseFen("0")).isZero();
        assertThat(Yuan.parseFen("0.05")).isEqualTo(5);
        assertThat(Yuan.parseFen("100000")).isEqualTo(Yuan.MAX_FEN);
        for (String bad : new String[]{"1e2", "١٢", "１２", "-3", "+3", "12.345", "0x10", "12,50", "", " ", "12.", ".5", "100000.01", "NaN"}) {
            assertThatThrownBy(() -> Yuan.parseFen(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
