package com.onecard.pos.display;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Screens are bilingual, Chinese first (issue 17): a decline in the terminal's form
 * {@code "中文 / English"} is drawn as two lines, the Chinese one first exactly as it is drawn alone,
 * the English one under it.
 */
class BilingualScreenTest {
    static final String ZH = "余额不足，请充值";
    static final String EN = "balance too low, please top up";

    @Test
    void theTextIsSplitIntoTheChineseLineThenTheEnglishLine() {
        assertThat(ScreenText.bilingual(ZH + " / " + EN)).containsExactly(ZH, EN);
        assertThat(ScreenText.bilingual("Maintenance tonight")).containsExactly("Maintenance tonight");
        assertThat(ScreenText.bilingual(" / ")).containsExactly(" / ");
        assertThat(ScreenText.bilingual(null)).isEmpty();
        String text = new AnsiRenderer(System.out).toText(new Screen.Declined(Screens.OFFLINE, ZH + " / " + EN));
        List<String> lines = text.lines().toList();
        int headline = lines.indexOf("交易失败 Declined");
        assertThat(lines.subList(headline + 1, lines.size())).containsExactly(ZH, EN);
    }

    @Test
    void theRenderedDeclineShowsTheChineseLineFirstAndTheEnglishUnderIt() {
        ScreenImage painter = new ScreenImage();
        BufferedImage both = painter.draw(new Screen.Declined(Screens.OFFLINE, ZH + " / " + EN));
        BufferedImage zhOnly = painter.draw(new Screen.Declined(Screens.OFFLINE, ZH));
        BufferedImage enOnly = painter.draw(new Screen.Declined(Screens.OFFLINE, EN));
        BufferedImage none = painter.draw(new Screen.Declined(Screens.OFFLINE, ""));
        int zhBottom = -1;
        for (int y = 0; y < none.getHeight(); y++) {
            if (!sameRow(zhOnly, none, y)) {
                zhBottom = y;
            }
        }
        assertThat(zhBottom).as("the Chinese line is drawn").isPositive();
        boolean firstLineIsEnglish = true;
        for (int y = 0; y <= zhBottom; y++) {
            assertThat(sameRow(both, zhOnly, y)).as("row %d: the first reason line is the Chinese one", y).isTrue();
            firstLineIsEnglish &= sameRow(both, enOnly, y);
        }
        assertThat(firstLineIsEnglish).as("the first reason line is not the English one").isFalse();
        boolean englishBelow = false;
        for (int y = zhBottom + 1; y < both.getHeight(); y++) {
            englishBelow |= !sameRow(both, zhOnly, y);
        }
        assertThat(englishBelow).as("the English line is drawn under the Chinese one").isTrue();
    }

    static boolean sameRow(BufferedImage a, BufferedImage b, int y) {
        for (int x = 0; x < a.getWidth(); x++) {
            if (a.getRGB(x, y) != b.getRGB(x, y)) {
                return false;
            }
        }
        return true;
    }
}
