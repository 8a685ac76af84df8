package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.onecard.pos.center.testing.AppFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** 照片采集: checks with a reason, review by the card office, the approved photo becomes the card photo. */
class PhotoIT {
    @TempDir
    Path dir;
    AppFixture f;
    AppFixture.Phone student;
    String admin;

    @BeforeEach
    void start() {
        f = new AppFixture("photo", dir);
        f.student(20260001, "s01", null, 0, 0, new byte[] {1, 2, 3, 4});
        student = f.firstLogin("13800000001", "s01", "111111", "photopass1");
        f.app.users().enrolAdmin("office1", f.app.hasher().hash("office-pass-1"), "13500135000");
        f.clock.advance(Duration.ofMinutes(2));
        admin = f.loginReply("13500135000", "office1", "office-pass-1", "device-office").path("access_token").asText();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static byte[] jpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y += 4) {
            for (int x = 0; x < w; x += 4) {
                g.setColor(new Color(r.nextInt(0xFFFFFF)));
                g.fillRect(x, y, 4, 4);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private JsonNode upload(byte[] body, String type) {
        return f.client.postBytes("/api/v1/me/photos", student.accessToken(), type, body);
    }

    @Test
    void eachRuleRefusesWithItsReason() throws Exception {
        JsonNode png = upload(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, "image/jpeg");
        assertThat(png.path("code").asText()).isEqualTo("PHOTO_NOT_JPEG");
        JsonNode wrongType = upload(jpeg(358, 441), "image/png");
        assertThat(wrongType.path("code").asText()).isEqualTo("PHOTO_NOT_JPEG");
        JsonNode tiny = upload(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0}, "image/jpeg");
        assertThat(tiny.path("code").asText()).isEqualTo("PHOTO_FILE_SIZE");
        JsonNode small = upload(jpeg(200, 250), "image/jpeg");
        assertThat(small.path("code").asText()).isEqualTo("PHOTO_DIMENSIONS");
        assertThat(small.path("message").asText()).contains("200 × 250");
        JsonNode square = upload(jpeg(441, 441), "image/jpeg");
        assertThat(square.path("code").asText()).isEqualTo("PHOTO_ASPECT");
        assertThat(square.path("http_status").asInt()).isEqualTo(422);
        assertThat(f.app.photos().ofAccount(20260001)).isEmpty();
    }

    @Test
    void anApprovedPhotoBecomesTheCardPhotoAndARejectionSaysWhy() throws Exception {
        byte[] first = jpeg(358, 441);
        JsonNode up = upload(first, "image/jpeg");
        assertThat(up.path("state").asText()).as(up.toString()).isEqualTo("PENDING");
        assertThat(f.client.bytes("/api/v1/me/card-photo", student.accessToken()).statusCode()).isEqualTo(404);
        JsonNode pending = f.client.get("/api/v1/admin/photos", admin);
        assertThat(pending.path("items")).hasSize(1);
        long id = pending.path("items").get(0).path("photo_id").asLong();
        assertThat(f.client.get("/api/v1/admin/photos", student.accessToken()).path("code").asText()).isEqualTo("ADMIN_ONLY");
        assertThat(f.client.bytes("/api/v1/admin/photos/" + id + "/jpeg", admin).body()).isEqualTo(first);
        JsonNode rejected = f.client.post("/api/v1/admin/photos/" + id + "/review", admin,
                f.client.obj().put("approve", false).put("reason", "背景不是白色 background not white"));
        assertThat(rejected.path("state").asText()).isEqualTo("REJECTED");
        assertThat(f.client.get("/api/v1/me/messages", student.accessToken()).toString()).contains("background not white");

        byte[] second = jpeg(295, 413);
        long id2 = upload(second, "image/jpeg").path("photo_id").asLong();
        assertThat(f.client.post("/api/v1/admin/photos/" + id2 + "/review", admin, f.client.obj().put("approve", true))
                .path("state").asText()).isEqualTo("APPROVED");
        assertThat(f.client.post("/api/v1/admin/photos/" + id2 + "/review", admin, f.client.obj().put("approve", false)
                .put("reason", "again")).path("code").asText()).isEqualTo("PHOTO_ALREADY_REVIEWED");
        assertThat(f.client.bytes("/api/v1/me/card-photo", student.accessToken()).body()).isEqualTo(second);
        assertThat(f.client.get("/api/v1/admin/audit", admin).toString()).contains("PHOTO_APPROVED", "PHOTO_REJECTED");
    }
}
