package com.onecard.pos.terminal.app;

import com.google.protobuf.ByteString;
import com.onecard.pos.display.HolderPhoto;
import com.onecard.pos.display.PngRenderer;
import com.onecard.pos.display.Screen;
import com.onecard.pos.sync.proto.Downstream;
import com.onecard.pos.terminal.store.Store;
import com.onecard.pos.terminal.testutil.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The holder's photo at the window: the center's thumbnail (the "photos" stream) is kept in the
 * store and drawn on the cashier's side of the screen with the sale's outcome; a holder without
 * one gets the placeholder, an unknown card none. Rendered to PNG through the daemon's screens.
 */
class HolderPhotoAtWindowTest {
    static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final Color MAGENTA = new Color(0xD0, 0x20, 0xC0);

    @TempDir
    Path dir;
    Store store;
    Display display;
    Screens screens;
    Path png;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"), SECRET);
        png = dir.resolve("screen.png");
        display = new Display(new PngRenderer(png));
        var cfg = TestConfigs.config(dir);
        screens = new Screens(display, store, null, () -> cfg, Clock.systemDefaultZone(), () -> null);
    }

    @AfterEach
    void close() throws Exception {
        display.close();
        store.close();
    }

    static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(120, 160, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(MAGENTA);
        g.fillRect(0, 0, 120, 160);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    BufferedImage rendered(Screen expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (expected.equals(display.current()) && Files.exists(png)) {
                BufferedImage img = ImageIO.read(png.toFile());
                if (img != null && photoShare(img) >= 0) {
                    return img;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("screen not rendered within 10 s");
    }

    static double photoShare(BufferedImage img) {
        int n = 0;
        int all = 0;
        for (int y = 60; y < 260; y += 4) {
            for (int x = 330; x < 470; x += 4) {
                int rgb = img.getRGB(x, y);
                all++;
                if (Math.abs(((rgb >> 16) & 0xFF) - 0xD0) < 40 && Math.abs(((rgb >> 8) & 0xFF) - 0x20) < 40
                        && Math.abs((rgb & 0xFF) - 0xC0) < 40) {
                    n++;
                }
            }
        }
        return (double) n / all;
    }

    @Test
    void theCentersPhotoIsKeptAndShownOnTheCashiersSideWithTheOutcome() throws Exception {
        byte[] photo = jpeg();
        store.photos().apply(Downstream.newBuilder().getHolderPhotoBuilder().setAccountId(7).setPhotoId(31)
                .setJpeg(ByteString.copyFrom(photo)).build(), 4);
        assertThat(store.accounts().cursors()).containsEntry("photos", 4L);
        screens.approved("Li Lei", 850, 1450, 7);
        Screen s = display.current();
        assertThat(s).isInstanceOf(Screen.Approved.class);
        assertThat(((Screen.Approved) s).photo().jpeg()).isEqualTo(photo);
        assertThat(photoShare(rendered(s))).isGreaterThan(0.5);

        screens.declined("支付码已使用，请刷新 / payment code already used, please refresh it", 7);
        assertThat(((Screen.Declined) display.current()).photo().jpeg()).isEqualTo(photo);
        screens.approved("Han Meimei", 850, 1450, 8);
        assertThat(((Screen.Approved) display.current()).photo()).isEqualTo(HolderPhoto.MISSING);
        screens.declined("card not registered", 0);
        assertThat(((Screen.Declined) display.current()).photo()).isEqualTo(HolderPhoto.NONE);
    }

    @Test
    void somethingThatIsNotAThumbnailIsRefusedAndNothingIsStored() {
        var huge = Downstream.newBuilder().getHolderPhotoBuilder().setAccountId(7).setPhotoId(32)
                .setJpeg(ByteString.copyFrom(new byte[100_000])).build();
        assertThatThrownBy(() -> store.photos().apply(huge, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("photo 32 of account 7");
        assertThat(store.photos().count()).isZero();
        assertThat(store.accounts().cursors()).doesNotContainKey("photos");
    }
}
