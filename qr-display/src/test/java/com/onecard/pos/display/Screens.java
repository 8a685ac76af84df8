package com.onecard.pos.display;

import com.onecard.pos.qr.GoldenVectors;
import java.time.LocalTime;
import java.util.List;

/** One screen of every kind, for renderer tests. */
final class Screens {
    static final StatusBar ONLINE = new StatusBar("POS03", true, 0, LocalTime.of(12, 5));
    static final StatusBar OFFLINE = new StatusBar("POS03", false, 17, LocalTime.of(12, 6));

    static List<Screen> all() {
        return List.of(
                new Screen.Idle(ONLINE, "北区食堂 North Canteen", "套餐 ¥12.00"),
                new Screen.Amount(ONLINE, 1250),
                new Screen.QrPayment(ONLINE, 1250, GoldenVectors.WORKED_EXAMPLE, 87),
                new Screen.Approved(OFFLINE, "张三", 1250, 8_800),
                new Screen.Declined(OFFLINE, "余额不足 Insufficient balance"),
                new Screen.Message(ONLINE, "系统将于今晚 22:00 维护，届时请使用现金或扫码支付。Maintenance tonight at 22:00."));
    }

    private Screens() {
    }
}
