package com.onecard.pos.display;

import com.onecard.pos.qr.encode.QrMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a screen as an RGB image for pixel displays (PNG file, framebuffer). Works headless.
 * The QR code is drawn with a whole number of pixels per module and its quiet zone, without
 * smoothing, so a phone camera sees sharp modules. Sizes scale with the image height.
 * One instance per display thread: it caches the QR encoding and derived fonts.
 */
public final class ScreenImage {
    public static final int DEFAULT_WIDTH = 480;
    public static final int DEFAULT_HEIGHT = 320;

    static final Color STATUS_BG = new Color(0x20, 0x2A, 0x36);
    static final Color STATUS_FG = Color.WHITE;
    static final Color ONLINE = new Color(0x2E, 0xCC, 0x71);
    static final Color OFFLINE = new Color(0xE7, 0x4C, 0x3C);
    static final Color BODY_BG = Color.WHITE;
    static final Color TEXT = new Color(0x11, 0x11, 0x11);
    static final Color GOOD = new Color(0x1E, 0x8E, 0x3E);
    static final Color BAD = new Color(0xC0, 0x39, 0x2B);
    static final Color PLACEHOLDER_BG = new Color(0xE3, 0xE6, 0xEA);
    static final Color PLACEHOLDER_FG = new Color(0x9A, 0xA3, 0xAD);

    private final int width;
    private final int height;
    private final int statusHeight;
    private final int pad;
    private final Font statusFont;
    private final Font headlineFont;
    private final Font lineFont;
    private final QrCache qr = new QrCache(com.onecard.pos.qr.encode.QrEncoder.Level.L);

    public ScreenImage() {
        this(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    public ScreenImage(int width, int height) {
        if (width < 64 || height < 64) {
            throw new IllegalArgumentException("display too small: " + width + "×" + height);
        }
        this.width = width;
        this.height = height;
        this.statusHeight = Math.max(16, height / 10);
        this.pad = Math.max(4, height / 40);
        Font base = Fonts.base();
        this.statusFont = base.deriveFont(Font.PLAIN, statusHeight * 0.6f);
        this.headlineFont = base.deriveFont(Font.BOLD, height / 8f);
        this.lineFont = base.deriveFont(Font.PLAIN, height / 15f);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public BufferedImage draw(Screen screen) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BODY_BG);
            g.fillRect(0, 0, width, height);
            drawStatus(g, screen.status());
            ScreenText text = ScreenText.of(screen);
            int textLeft = pad;
            if (text.qrPayload() != null) {
                textLeft = drawQr(g, qr.matrix(text.qrPayload())) + pad;
            }
            int textRight = width - pad;
            HolderPhoto photo = photoOf(screen);
            if (photo.shown()) {
                textRight = drawPhoto(g, photo) - pad;
            }
            drawText(g, text, textLeft, textRight);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawStatus(Graphics2D g, StatusBar s) {
        g.setColor(STATUS_BG);
        g.fillRect(0, 0, width, statusHeight);
        g.setFont(statusFont);
        FontMetrics fm = g.getFontMetrics();
        int baseline = (statusHeight - fm.getHeight()) / 2 + fm.getAscent();
        g.setColor(STATUS_FG);
        g.drawString(StatusLine.label(s), pad, baseline);
        String right = StatusLine.unsynced(s) + "  " + StatusLine.time(s);
        int rightX = width - pad - fm.stringWidth(right);
        g.drawString(right, rightX, baseline);
        String conn = StatusLine.connectivity(s);
        int connX = Math.max(pad + fm.stringWidth(StatusLine.label(s)) + pad, (width - fm.stringWidth(conn)) / 2);
        g.setColor(s.online() ? ONLINE : OFFLINE);
        g.drawString(conn, connX, baseline);
    }

    static HolderPhoto photoOf(Screen screen) {
        if (screen instanceof Screen.Approved a) {
            return a.photo();
        }
        if (screen instanceof Screen.Declined d) {
            return d.photo();
        }
        return HolderPhoto.NONE;
    }

    /** Where the holder's photo goes: the right of the body (the cashier's side), 3:4, under a label. */
    java.awt.Rectangle photoRegion() {
        int labelH = Math.max(10, height / 20);
        int h = height - statusHeight - 3 * pad - labelH;
        int w = h * 3 / 4;
        return new java.awt.Rectangle(width - pad - w, statusHeight + pad, w, h);
    }

    /**
     * Draws the photo (scaled to fit its region, centred) or the placeholder (a grey silhouette:
     * the holder has no approved photo) with its label; returns the region's left x.
     */
    private int drawPhoto(Graphics2D g, HolderPhoto photo) {
        java.awt.Rectangle r = photoRegion();
        BufferedImage img = decode(photo.jpeg());
        if (img == null) {
            g.setColor(PLACEHOLDER_BG);
            g.fillRect(r.x, r.y, r.width, r.height);
            g.setColor(PLACEHOLDER_FG);
            int head = r.width / 2;
            g.fillOval(r.x + (r.width - head) / 2, r.y + r.height / 6, head, head);
            g.fillOval(r.x + r.width / 8, r.y + r.height * 3 / 5, r.width * 3 / 4, r.height * 3 / 5);
            g.setColor(PLACEHOLDER_BG);
            g.fillRect(r.x, r.y + r.height, r.width, r.height);
        } else {
            double scale = Math.min((double) r.width / img.getWidth(), (double) r.height / img.getHeight());
            int w = (int) Math.round(img.getWidth() * scale);
            int h = (int) Math.round(img.getHeight() * scale);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, r.x + (r.width - w) / 2, r.y + (r.height - h) / 2, w, h, null);
        }
        g.setColor(TEXT);
        g.setFont(statusFont);
        FontMetrics fm = g.getFontMetrics();
        String label = img == null ? "无照片 No photo" : "持卡人 Holder";
        g.drawString(label, r.x + Math.max(0, (r.width - fm.stringWidth(label)) / 2), r.y + r.height + pad + fm.getAscent());
        return r.x;
    }

    /** The photo's image, or null for the placeholder (none given, or bytes that do not decode: never a failed screen). */
    private static BufferedImage decode(byte[] jpeg) {
        if (jpeg == null || jpeg.length == 0) {
            return null;
        }
        try {
            return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Draws the QR left in the body; returns the x just right of it. */
    private int drawQr(Graphics2D g, QrMatrix m) {
        int bodyTop = statusHeight;
        int avail = Math.min(height - statusHeight, width * 2 / 3);
        int scale = Math.max(1, avail / m.size());
        int px = m.size() * scale;
        int left = 0;
        int top = bodyTop + Math.max(0, (height - bodyTop - px) / 2);
        g.setColor(Color.WHITE);
        g.fillRect(left, top, px, px);
        g.setColor(Color.BLACK);
        for (int y = 0; y < m.size(); y++) {
            int x = 0;
            while (x < m.size()) {
                if (!m.dark(x, y)) {
                    x++;
                    continue;
                }
                int run = x;
                while (run < m.size() && m.dark(run, y)) {
                    run++;
                }
                g.fillRect(left + x * scale, top + y * scale, (run - x) * scale, scale);
                x = run;
            }
        }
        return left + px;
    }

    private void drawText(Graphics2D g, ScreenText text, int left, int right) {
        int maxWidth = right - left;
        g.setFont(headlineFont);
        FontMetrics hm = g.getFontMetrics();
        g.setColor(switch (text.tone()) {
            case GOOD -> GOOD;
            case BAD -> BAD;
            default -> TEXT;
        });
        int y = statusHeight + pad + hm.getAscent();
        for (String part : wrap(text.headline(), hm, maxWidth)) {
            g.drawString(part, left, y);
            y += hm.getHeight();
        }
        g.setFont(lineFont);
        g.setColor(TEXT);
        FontMetrics lm = g.getFontMetrics();
        y += pad;
        for (String line : text.lines()) {
            for (String part : wrap(line, lm, maxWidth)) {
                if (y > height) {
                    return;
                }
                g.drawString(part, left, y);
                y += lm.getHeight();
            }
        }
    }

    /** Breaks by width at code-point boundaries: Chinese text has no spaces to break at. */
    static List<String> wrap(String text, FontMetrics fm, int maxWidth) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        text.codePoints().forEach(cp -> {
            line.appendCodePoint(cp);
            if (line.length() > Character.charCount(cp) && fm.stringWidth(line.toString()) > maxWidth) {
                line.setLength(line.length() - Character.charCount(cp));
                out.add(line.toString());
                line.setLength(0);
                line.appendCodePoint(cp);
            }
        });
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }
}
