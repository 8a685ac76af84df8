package com.onecard.pos.display;

import java.util.ArrayList;
import java.util.List;

/**
 * What a screen says, independent of how it is drawn: a headline, a few short lines, a tone
 * for colouring, and the QR payload when there is one. Lines are short so they fit beside a
 * QR code on a 480-pixel display.
 */
record ScreenText(Tone tone, String headline, List<String> lines, String qrPayload) {

    enum Tone { NEUTRAL, GOOD, BAD }

    static ScreenText of(Screen screen) {
        if (screen instanceof Screen.Idle s) {
            return new ScreenText(Tone.NEUTRAL, nonNull(s.merchantName()), bilingual(s.hint()), null);
        }
        if (screen instanceof Screen.Amount s) {
            return new ScreenText(Tone.NEUTRAL, Yuan.format(s.amountFen()), List.of("请刷卡", "Please tap card"), null);
        }
        if (screen instanceof Screen.QrPayment s) {
            return new ScreenText(Tone.NEUTRAL, Yuan.format(s.amountFen()),
                    List.of("请扫码支付", "Scan to pay", "剩余 " + Math.max(0, s.secondsLeft()) + " 秒"), s.payload());
        }
        if (screen instanceof Screen.Approved s) {
            List<String> lines = new ArrayList<>(present(s.holderName()));
            lines.add("扣款 " + Yuan.format(s.amountFen()));
            lines.add("余额 " + Yuan.format(s.balanceFen()));
            return new ScreenText(Tone.GOOD, "支付成功 Approved", lines, null);
        }
        if (screen instanceof Screen.Declined s) {
            return new ScreenText(Tone.BAD, "交易失败 Declined", bilingual(s.reason()), null);
        }
        if (screen instanceof Screen.Message s) {
            return new ScreenText(Tone.NEUTRAL, "通知 Notice", bilingual(s.text()), null);
        }
        throw new IllegalArgumentException("unknown screen " + screen.getClass().getName());
    }

    /**
     * A text in the terminal's bilingual form {@code "中文 / English"} as two lines, Chinese first;
     * any other text as one line.
     */
    static List<String> bilingual(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        int cut = text.indexOf(" / ");
        if (cut <= 0 || cut + 3 >= text.length()) {
            return List.of(text);
        }
        return List.of(text.substring(0, cut), text.substring(cut + 3));
    }

    private static List<String> present(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text);
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
