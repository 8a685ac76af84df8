package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;

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
}
