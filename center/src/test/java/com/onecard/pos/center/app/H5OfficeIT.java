package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.center.testing.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The card office's page in a real browser: an admin logs in the manual's way and sees the
 * fleet, the cards reported lost, the photos waiting (approves one: it becomes the card photo and
 * the student is told) and sends a notice; a student is refused the page.
 */
class H5OfficeIT {
    static final long ACC = 20260001;
    static final String SNO = "2026000101";
    static final String ID = "11010519900307123X";
    static final String PHONE = "13800138000";
    static final String OFFICE_PHONE = "13500135000";

    @TempDir
    Path dir;
    AppFixture f;
    Browser browser;
    AppFixture.Phone student;

    @BeforeEach
    void start() throws IOException {
        f = new AppFixture("h5office", dir);
        f.student(ACC, SNO, ID, 0, 5_000, new byte[] {1, 2, 3, 4});
        f.app.users().enrolAdmin("office1", f.app.hasher().hash("office-pass-1"), OFFICE_PHONE);
        f.ledger.terminals().register("T07", new byte[32]);
        student = f.firstLogin(PHONE, SNO, "07123X", "canteen2026");
        JsonNode photo = f.client.postBytes("/api/v1/me/photos", student.accessToken(), "image/jpeg", jpeg(358, 441));
        assertThat(photo.path("state").asText()).as(photo.toString()).isEqualTo("PENDING");
        JsonNode lost = f.client.post("/api/v1/me/loss", student.accessToken(), f.client.obj().put("card_password", "071230"));
        assertThat(lost.path("status").asText()).as(lost.toString()).isEqualTo("LOST");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        f.close();
    }

    private Browser logIn(String phone) {
        return logIn(phone, null, null);
    }

    /** Phone and code; then, for a login that needs it (the card office), the identity step. */
    private Browser logIn(String phone, String login, String password) {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        browser = Browser.phone("h5office", List.of());
        browser.open("http://127.0.0.1:" + f.app.port() + "/app/");
        browser.type(By.id("phone"), phone);
        browser.click(By.id("get-code"));
        browser.awaitText(By.cssSelector("#login-form .ok"), "验证码已发送");
        browser.type(By.id("code"), f.lastCode(phone));
        browser.click(By.id("phone-login"));
        if (login != null) {
            browser.type(By.id("student-number"), login);
            browser.type(By.id("password"), password);
            browser.click(By.id("identity-login"));
        }
        browser.awaitScreen("home");
        return browser;
    }

    @Test
    void theCardOfficeSeesTheFleetAndLostCardsApprovesAPhotoAndSendsANotice() {
        Browser b = logIn(OFFICE_PHONE, "office1", "office-pass-1");
        assertThat(b.driver.findElements(By.cssSelector("nav.grid a"))).hasSize(1);
        b.click(By.id("home-office"));
        assertThat(b.awaitText(By.cssSelector("#fleet tr[data-terminal='T07']"), "T07")).contains("—");
        assertThat(b.awaitText(By.cssSelector("#lost-cards li[data-account='" + ACC + "']"), "01020304"))
                .contains("挂失后未被使用");
        long photoId = f.app.photos().pending(10).get(0).photoId();
        b.await(By.id("approve-" + photoId));
        b.screenshot("17-office");
        b.click(By.id("approve-" + photoId));
        b.awaitText(By.id("review-list"), "没有记录");
        assertThat(f.client.get("/api/v1/me/photos", student.accessToken()).path("items").get(0).path("state").asText())
                .isEqualTo("APPROVED");

        b.type(By.id("notice-text"), "食堂周末营业时间调整");
        b.type(By.id("notice-account"), Long.toString(ACC));
        b.click(By.id("notice-send"));
        b.awaitText(By.cssSelector("#notice-form .ok"), "已发送 (1)");
        JsonNode messages = f.client.get("/api/v1/me/messages", student.accessToken()).path("items");
        assertThat(messages.get(0).path("text").asText()).contains("食堂周末营业时间调整");
    }

    @Test
    void aStudentIsRefusedTheCardOfficesPage() {
        f.clock.advance(java.time.Duration.ofMinutes(2));
        Browser b = logIn(PHONE);
        b.click(By.id("lang"));
        b.open("http://127.0.0.1:" + f.app.port() + "/app/#/office");
        b.awaitScreen("office");
        assertThat(b.awaitText(By.cssSelector("#office-fleet .error"), "card office")).isNotEmpty();
        assertThat(b.driver.findElement(By.cssSelector("#office-fleet .error")).getAttribute("data-code")).isEqualTo("ADMIN_ONLY");
        assertThat(b.driver.findElements(By.cssSelector("#fleet"))).isEmpty();
    }

    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        // a light backdrop and a darker head and shoulders, slightly grainy like a camera's picture
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - w / 2.0) / (w * 0.22);
                double dy = (y - h * 0.4) / (h * 0.22);
                boolean person = dx * dx + dy * dy < 1 || (y > h * 0.68 && Math.abs(x - w / 2.0) < w * 0.38);
                int base = person ? 90 : 225;
                int g = Math.max(0, Math.min(255, base + r.nextInt(9) - 4));
                img.setRGB(x, y, (g << 16) | (g << 8) | Math.min(255, g + 12));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
