package com.onecard.pos.terminal.auth;

/** Why a sale was refused: a stable code for reports and the words the cashier reads out. */
public enum DeclineReason {
    UNKNOWN_CARD("card not registered, please go to the card office"),
    BAD_CREDENTIAL("card cannot be verified (damaged or copied card), please go to the card office"),
    CARD_REPLACED("this card was replaced by a newer one and no longer pays, please use the new card"),
    OLD_CARD_LAYOUT("old card type retired, please get a new card at the card office"),
    LOST("card reported lost, please hand it to the counter"),
    FROZEN("card frozen, please go to the card office"),
    EXPIRED("card expired, please go to the card office"),
    INSUFFICIENT_FUNDS("balance too low, please top up"),
    OVER_OFFLINE_SALE_CAP("amount too high while offline, pay a smaller amount"),
    OVER_OFFLINE_DAILY_CAP("daily offline limit reached for this card"),
    OVER_UNSYNCED_LIMIT("terminal offline too long, card sales paused until it reconnects"),
    PIN_REQUIRED("please enter the card password"),
    PIN_WRONG("wrong card password"),
    PIN_LOCKED("card password locked after too many wrong tries; it unlocks later, or at once at the card office"),
    PIN_NEEDS_CENTER("sales above the password limit need the card center: pay a smaller amount, or by QR code from the app"),
    MEAL_LIMIT("meal limit for this period reached"),
    NOT_PROVISIONED("terminal not provisioned, call the card center"),
    CENTER_UNREACHABLE("card center not reachable, online payment (and QR payment) not possible now"),
    STORAGE_FAULT("terminal storage fault, sale not recorded, call a technician"),
    TIMEOUT("no card presented in time"),
    QR_EXPIRED("payment code expired, please start again"),
    CENTER_DECLINED("declined by the card center"),
    PAYCODE_MALFORMED("支付码无法识别 / payment code unreadable, please refresh it"),
    PAYCODE_UNKNOWN_ISSUER("支付码无法验证 / payment code cannot be verified here, please pay by card"),
    PAYCODE_BAD_CERTIFICATE("支付码无效 / payment code not issued by the card center"),
    PAYCODE_CERTIFICATE_EXPIRED("支付码已失效，请联网刷新 / payment code out of date, go online in the app to renew it"),
    PAYCODE_REVOKED("该设备已退出登录 / this phone is logged out, payment code not valid"),
    PAYCODE_BAD_SIGNATURE("支付码被篡改 / payment code altered or forged"),
    PAYCODE_NOT_YET_VALID("手机时间不准 / phone clock is wrong, please correct it"),
    PAYCODE_EXPIRED("支付码已过期，请刷新 / payment code expired, please refresh it"),
    PAYCODE_REPLAYED("支付码已使用，请刷新 / payment code already used, please refresh it"),
    PAYCODE_UNKNOWN_ACCOUNT("账户未知 / account unknown at this terminal, please pay by card"),
    PAYCODE_PASSWORD_AMOUNT("金额需输入卡密码，请刷卡 / amount needs the card password, please pay by card");

    private final String message;

    DeclineReason(String message) {
        this.message = message;
    }

    /** What the cashier reads out and the screen shows. */
    public String message() {
        return message;
    }
}
