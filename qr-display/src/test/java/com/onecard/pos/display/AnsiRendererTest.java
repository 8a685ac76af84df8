package com.onecard.pos.display;

import static org.assertj.core.api.Assertions.assertThat;

import com.onecard.pos.qr.GoldenVectors;
import com.onecard.pos.qr.encode.QrEncoder;
import com.onecard.pos.qr.encode.QrMatrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnsiRendererTest {
    private final AnsiRenderer renderer = new AnsiRenderer(new PrintStream(new ByteArrayOutputStream()));

    @Test
    void qrScreenHasStatusAmountCountdownAndHalfBlockCode() {
        String text = renderer.toText(new Screen.QrPayment(Screens.ONLINE, 1250, GoldenVectors.WORKED_EXAMPLE, 87));
        assertThat(text).startsWith("POS03  ● 在线  待上传 0  12:05\n");
        assertThat(text).contains("¥12.50").contains("剩余 87 秒").doesNotContain("\u001b");
        QrMatrix m = QrEncoder.encode(GoldenVectors.WORKED_EXAMPLE);
        List<String> qrLines = Arrays.stream(text.split("\n")).skip(1).limit((m.size() + 1) / 2).toList();
        assertThat(qrLines).allSatisfy(l -> assertThat(l).hasSize(m.size()).matches("[█▀▄ ]+"));
        // Quiet zone: the first two text lines (module rows 0–3) are all light.
        assertThat(qrLines.get(0)).isBlank();
        assertThat(qrLines.get(1)).isBlank();
        assertThat(qrLines.get(2).charAt(4)).isEqualTo('█');
        for (int y = 0; y < m.size(); y++) {
            for (int x = 0; x < m.size(); x++) {
                char c = qrLines.get(y / 2).charAt(x);
                boolean dark = y % 2 == 0 ? (c == '█' || c == '▀') : (c == '█' || c == '▄');
                assertThat(dark).as("module %d,%d", x, y).isEqualTo(m.dark(x, y));
            }
        }
    }

    @Test
    void renderForcesColoursAndWritesUtf8() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A Latin-1 PrintStream would mangle the blocks if the renderer relied on it.
        new AnsiRenderer(new PrintStream(bytes, true, StandardCharsets.ISO_8859_1))
                .render(new Screen.QrPayment(Screens.OFFLINE, 99, "HELLO", 5));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\u001b[38;5;16;48;5;231m").contains("█").contains("\u001b[0m");
        assertThat(out).contains("○ 离线 OFFLINE").contains("待上传 17").contains("¥0.99");
    }

    @Test
    void everyScreenKindHasItsText() {
        List<String> texts = Screens.all().stream().map(renderer::toText).toList();
        assertThat(texts.get(0)).contains("北区食堂 North Canteen").contains("套餐 ¥12.00");
        assertThat(texts.get(1)).contains("¥12.50").contains("请刷卡");
        assertThat(texts.get(3)).contains("张三").contains("扣款 ¥12.50").contains("余额 ¥88.00");
        assertThat(texts.get(4)).contains("交易失败").contains("余额不足");
        assertThat(texts.get(5)).contains("Maintenance tonight");
    }
}
