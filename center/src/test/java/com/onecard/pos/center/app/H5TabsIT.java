package com.onecard.pos.center.app;

import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.center.testing.Await;
import com.onecard.pos.center.testing.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H5 app's refresh, in real Chromium against the real service and PostgreSQL: two tabs whose
 * access token expired together both refresh with the same token (the service answers the second
 * with the same successor within its reuse interval), and a refresh that gets no answer keeps the
 * tokens. The first tab's refresh request is held in the page until the second tab has refreshed,
 * so no timing decides the order.
 */
class H5TabsIT {
    static final long ACC = 20260001;
    static final String SNO = "2026000101";
    static final String PHONE = "13800138000";
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Starts a call through the page's own api module; its outcome lands in window.__result. */
    static final String CALL = """
            window.__result = undefined;
            import(location.origin + '/app/api.js')
              .then(m => m.api('GET', '/me/balance'))
              .then(r => { window.__result = 'ok:' + r.account_id; },
                    e => { window.__result = (e && e.code) || String(e); });
            """;
    /** Holds this page's refresh request (its body already read) until window.__release(). */
    static final String HOLD_REFRESH = """
            window.__held = false;
            const realFetch = window.fetch;
            let release;
            const gate = new Promise(r => { release = r; });
            window.__release = release;
            window.fetch = async (url, opts) => {
              if (String(url).endsWith('/auth/refresh')) {
                window.__held = true;
                await gate;
              }
              return realFetch(url, opts);
            };
            """;
    /** This page's refresh requests get no answer (the network is gone) until window.__restore(). */
    static final String NO_ANSWER_TO_REFRESH = """
            const realFetch = window.fetch;
            window.__restore = () => { window.fetch = realFetch; };
            window.fetch = async (url, opts) => {
              if (String(url).endsWith('/auth/refresh')) {
                throw new TypeError('Failed to fetch');
              }
              return realFetch(url, opts);
            };
            """;

    @TempDir
    Path dir;
    AppFixture f;
    Browser browser;

    @BeforeEach
    void start() {
        f = new AppFixture("h5tabs", dir);
        f.student(ACC, SNO, "11010519900307123X", 1_000, 5_000, new byte[] {1, 2, 3, 4});
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        f.close();
    }

    private String app() {
        return "http://127.0.0.1:" + f.app.port() + "/app/";
    }

    private Object result(Browser b) {
        return b.js("return window.__result === undefined ? null : window.__result");
    }

    private AppFixture.Phone loggedIn(Browser b) {
        AppFixture.Phone phone = f.firstLogin(PHONE, SNO, "07123X", "canteen2026");
        b.open(app());
        b.js("localStorage.setItem('oc.device', arguments[0]); localStorage.setItem('oc.access', arguments[1]);"
                + "localStorage.setItem('oc.refresh', arguments[2]);", phone.deviceId(), phone.accessToken(),
                phone.refreshToken());
        b.open(app());
        b.awaitScreen("home");
        return phone;
    }

    @Test
    void twoTabsWhoseAccessTokenExpiredBothRefreshWithOneTokenAndBothStayLoggedIn() {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        Browser b = browser = Browser.phone("h5tabs", List.of());
        AppFixture.Phone phone = loggedIn(b);
        String first = b.driver.getWindowHandle();
        b.driver.switchTo().newWindow(WindowType.TAB);
        b.open(app());
        b.awaitScreen("home");
        String second = b.driver.getWindowHandle();

        f.clock.advance(Duration.ofMinutes(11)); // past the 10-minute access token in both tabs

        b.driver.switchTo().window(first);
        b.js(HOLD_REFRESH + CALL);
        Await.until(WAIT, () -> Boolean.TRUE.equals(b.js("return window.__held === true")),
                () -> "the first tab never asked for a refresh");

        b.driver.switchTo().window(second);
        b.js(CALL);
        Await.until(WAIT, () -> result(b) != null, () -> "the second tab's call never ended");
        Object secondResult = result(b);
        Object kept = b.js("return localStorage.getItem('oc.refresh')");

        b.driver.switchTo().window(first);
        b.js("window.__release()"); // sends the refresh token the second tab has just rotated
        Await.until(WAIT, () -> result(b) != null, () -> "the first tab's call never ended");
        Object firstResult = result(b);

        assertThat(secondResult).as("the tab that refreshed first").isEqualTo("ok:" + ACC);
        assertThat(firstResult).as("the tab that refreshed with the same token").isEqualTo("ok:" + ACC);
        assertThat(b.js("return localStorage.getItem('oc.refresh')")).as("both tabs hold the same successor")
                .isNotNull().isNotEqualTo(phone.refreshToken()).isEqualTo(kept);
        b.js(CALL);
        Await.until(WAIT, () -> result(b) != null, () -> "a later call never ended");
        assertThat(result(b)).as("the session lives on after both tabs' calls").isEqualTo("ok:" + ACC);
    }

    @Test
    void aRefreshThatGetsNoAnswerKeepsTheTokensAndTheNextCallRefreshes() {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        Browser b = browser = Browser.phone("h5tabs-offline", List.of());
        AppFixture.Phone phone = loggedIn(b);
        f.clock.advance(Duration.ofMinutes(11));

        b.js(NO_ANSWER_TO_REFRESH + CALL);
        Await.until(WAIT, () -> result(b) != null, () -> "the call never ended");
        assertThat(result(b)).as("the call fails as a network error").isEqualTo("NETWORK");
        assertThat(b.js("return localStorage.getItem('oc.refresh')")).as("the tokens are kept")
                .isEqualTo(phone.refreshToken());

        b.js("window.__restore();" + CALL);
        Await.until(WAIT, () -> result(b) != null, () -> "the call after the network came back never ended");
        assertThat(result(b)).as("still logged in").isEqualTo("ok:" + ACC);
    }
}
