package com.onecard.pos.center.app;

import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.center.testing.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H5 app in a real browser (Debian's headless Chromium) on the real service and PostgreSQL:
 * the manual's login (phone and SMS code from the sink, student number and initial password,
 * the forced change), then the home screen in the manual's order and words, in Chinese and English.
 */
class H5LoginIT {
    static final long ACC = 20260001;
    static final String SNO = "2026000101";
    static final String ID = "11010519900307123X";
    static final String PHONE = "13800138000";

    @TempDir
    Path dir;
    AppFixture f;
    Browser browser;

    @BeforeEach
    void start() {
        f = new AppFixture("h5login", dir);
        f.student(ACC, SNO, ID, 1_000, 5_000, new byte[] {1, 2, 3, 4});
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

    private Browser browser() {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        browser = Browser.phone("h5login", List.of());
        return browser;
    }

    @Test
    void theAppIsServedFromTheJarWithItsHeaders() {
        HttpResponse<String> index = f.client.raw("GET", "/app/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'self'").contains("connect-src 'self'");
        assertThat(index.body()).contains("app.js").contains("vendor/dist/jsQR.js");
        HttpResponse<String> reader = f.client.raw("GET", "/app/vendor/dist/jsQR.js", null);
        assertThat(reader.statusCode()).isEqualTo(200);
        assertThat(reader.body()).contains("jsQR");
        HttpResponse<String> encoder = f.client.raw("GET", "/app/vendor/dist/qrcode.mjs", null);
        assertThat(encoder.statusCode()).isEqualTo(200);
        assertThat(encoder.headers().firstValue("Content-Type").orElse("")).as("an ES module needs a JavaScript type")
                .startsWith("text/javascript");
        assertThat(encoder.body()).contains("export default qrcode");
        HttpResponse<String> root = f.client.raw("GET", "/", null);
        assertThat(root.statusCode()).isBetween(301, 302);
        assertThat(root.headers().firstValue("Location").orElse("")).isEqualTo("/app/");
        HttpResponse<String> none = f.client.raw("GET", "/app/nothing-here.js", null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("\"code\":\"NO_SUCH_ENDPOINT\"");
    }

    @Test
    void aStudentLogsInWithTheSmsCodeChangesTheInitialPasswordAndSeesTheHomeScreen() {
        Browser b = browser();
        b.open(app());
        b.awaitScreen("login");
        b.screenshot("01-login");
        b.type(By.id("phone"), PHONE);
        b.click(By.id("get-code"));
        b.awaitText(By.cssSelector("#login-form .ok"), "验证码已发送");
        b.type(By.id("code"), f.lastCode(PHONE));
        b.click(By.id("phone-login"));

        b.await(By.id("identity-form"));
        b.type(By.id("student-number"), SNO);
        b.type(By.id("password"), "07123X");
        b.screenshot("02-identity");
        b.click(By.id("identity-login"));

        b.awaitScreen("changePassword");
        assertThat(b.driver.findElement(By.id("title")).getText()).isEqualTo("修改初始密码");
        assertThat(b.driver.findElement(By.id("current-password")).getAttribute("value")).isEqualTo("07123X");
        assertThat(webStorage(b)).as("the password is in no Web Storage").doesNotContain("07123X");
        b.type(By.id("new-password"), "canteen2026");
        b.type(By.id("new-password-2"), "canteen2026");
        b.screenshot("03-change-password");
        b.click(By.id("change-password"));

        b.awaitScreen("home");
        assertThat(b.awaitText(By.id("home-total"), "60.00")).isEqualTo("60.00");
        assertThat(webStorage(b)).doesNotContain("07123X").doesNotContain("canteen2026");
        List<String> tiles = b.driver.findElements(By.cssSelector("nav.grid a")).stream().map(WebElement::getText)
                .map(s -> s.substring(s.indexOf('\n') + 1)).toList();
        assertThat(tiles).containsExactly("账户充值", "账单", "余额", "消息", "卡挂失", "拾卡登记", "照片采集", "支付码", "扫一扫");
        b.screenshot("04-home");
        assertThat(f.app.users().byLogin(SNO).orElseThrow().initialPassword()).as("the initial password is gone").isFalse();

        b.click(By.id("lang"));
        b.awaitText(By.id("home-topup"), "Top up");
        List<String> english = b.driver.findElements(By.cssSelector("nav.grid a")).stream().map(WebElement::getText)
                .map(s -> s.substring(s.indexOf('\n') + 1)).toList();
        assertThat(english).containsExactly("Top up", "Bills", "Balance", "Messages", "Report loss", "Found card", "Photo",
                "Payment code", "Scan");
    }

    static String webStorage(Browser b) {
        return String.valueOf(b.driver.executeScript(
                "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"));
    }

    @Test
    void aTopUpAmountOutsideOneToAThousandWholeYuanIsRefusedBeforeAnyOrder() {
        f.firstLogin(PHONE, SNO, "07123X", "canteen2026");
        f.clock.advance(java.time.Duration.ofMinutes(2));
        Browser b = browser();
        b.open(app());
        b.type(By.id("phone"), PHONE);
        b.click(By.id("get-code"));
        b.awaitText(By.cssSelector("#login-form .ok"), "验证码已发送");
        b.type(By.id("code"), f.lastCode(PHONE));
        b.click(By.id("phone-login"));
        b.awaitScreen("home");
        b.click(By.id("home-topup"));
        for (String bad : List.of("0", "1001", "12.5")) {
            b.type(By.id("amount"), bad);
            b.click(By.id("topup-go"));
            assertThat(b.awaitText(By.cssSelector("#topup-form .error"), "1–1000")).as(bad)
                    .isEqualTo("请输入 1–1000 之间的整数金额");
        }
        assertThat(f.app.topUps().orders().all()).as("no order was made").isEmpty();
    }

    @Test
    void aWrongCodeIsRefusedInTheStudentsLanguageWithTheTriesLeft() {
        Browser b = browser();
        b.open(app());
        b.type(By.id("phone"), PHONE);
        b.click(By.id("get-code"));
        b.awaitText(By.cssSelector("#login-form .ok"), "验证码已发送");
        String right = f.lastCode(PHONE);
        b.type(By.id("code"), right.equals("000000") ? "111111" : "000000");
        b.click(By.id("phone-login"));
        String shown = b.awaitText(By.cssSelector("#login-form .error"), "验证码错误");
        assertThat(shown).contains("还可尝试 4 次");
        assertThat(b.driver.findElement(By.cssSelector("#login-form .error")).getAttribute("data-code")).isEqualTo("CODE_WRONG");
    }
}
