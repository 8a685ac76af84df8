package com.onecard.pos.sim.pay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated cashier page sends the browser back only to an http(s) page, never to a script. */
class CashierPageTest {

    @Test
    void onlyAnAbsoluteHttpUrlIsARedirectTarget() {
        assertThat(CashierPage.safeRedirect("http://127.0.0.1:8080/app/#/topup/result/T1")).isNotNull();
        assertThat(CashierPage.safeRedirect("https://app.campus.example/app/")).isNotNull();
        assertThat(CashierPage.safeRedirect("javascript:alert(1)")).isNull();
        assertThat(CashierPage.safeRedirect("data:text/html,<script>x</script>")).isNull();
        assertThat(CashierPage.safeRedirect("/relative/page")).isNull();
        assertThat(CashierPage.safeRedirect("http://")).isNull();
        assertThat(CashierPage.safeRedirect("")).isNull();
        assertThat(CashierPage.safeRedirect(null)).isNull();
    }
}
