package com.onecard.pos.center.app;

import com.onecard.pos.center.ledger.StreamReads;
import com.onecard.pos.center.photo.Photos;
import com.onecard.pos.center.testing.AppFixture;
import com.onecard.pos.sync.proto.Downstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approved card photo goes to every terminal on the "photos" stream as a thumbnail (for the
 * cashier's side of the window's screen); a rejected one never does.
 */
class HolderPhotoStreamIT {
    @TempDir
    Path dir;
    AppFixture f;

    @BeforeEach
    void start() {
        f = new AppFixture("holder_photo", dir);
        f.student(20260001, "s01", null, 0, 0, new byte[] {1, 2, 3, 4});
    }

    @AfterEach
    void stop() {
        f.close();
    }

    List<Downstream> photos() {
        long v = f.ledger.reads().versions().get("photos");
        return f.ledger.reads().range("photos", 0, v, List.of()).others().stream().map(StreamReads.Routed::change).toList();
    }

    @Test
    void anApprovedPhotoReachesTheStreamAsAThumbnailAndARejectedOneDoesNot() throws Exception {
        Photos.Photo rejected = f.app.photos().submit(20260001, PhotoIT.jpeg(358, 441));
        f.app.photos().review(rejected.photoId(), false, "背景不是白色 background not white", "office1");
        assertThat(photos()).isEmpty();
        Photos.Photo ok = f.app.photos().submit(20260001, PhotoIT.jpeg(358, 441));
        f.app.photos().review(ok.photoId(), true, null, "office1");
        List<Downstream> pushed = photos();
        assertThat(pushed).hasSize(1);
        var p = pushed.get(0).getHolderPhoto();
        assertThat(p.getAccountId()).isEqualTo(20260001);
        assertThat(p.getPhotoId()).isEqualTo(ok.photoId());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(p.getJpeg().toByteArray()));
        assertThat(thumb.getWidth()).isLessThanOrEqualTo(120);
        assertThat(thumb.getHeight()).isLessThanOrEqualTo(160);
        assertThat(thumb.getWidth() == 120 || thumb.getHeight() == 160).as(thumb.getWidth() + "x" + thumb.getHeight()).isTrue();
        assertThat(p.getJpeg().size()).isLessThan(64 * 1024);
    }
}
