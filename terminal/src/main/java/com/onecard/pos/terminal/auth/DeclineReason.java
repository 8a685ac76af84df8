package com.onecard.pos.terminal.auth;

/**
 * Why a sale was refused: a stable code for reports and the words the student and the cashier
 * read, in Chinese first and English second (the screens are bilingual, issue 17).
 */
public enum DeclineReason {
    UNKNOWN_CARD("卡未登记，请到卡务中心", "card not registered, please go to the card office"),
    BAD_CREDENTIAL("卡无法验证，请到卡务中心", "card cannot be verified (damaged or copied card), please go to the card office"),
    CARD_REPLACED("此卡已补办新卡，请用新卡", "this card was replaced by a newer one and no longer pays, please use the new card"),
    OLD_CARD_LAYOUT("旧卡已停用，请到卡务中心换卡", "old card type retired, please get a new card at the card office"),
    LOST("此卡已挂失，请交给柜台", "card reported lost, please hand it to the counter"),
    FROZEN("卡已冻结，请到卡务中心", "card frozen, please go to the card office"),
    EXPIRED("卡已过期，请到卡务中心", "card expired, please go to the card office"),
    INSUFFICIENT_FUNDS("余额不足，请充值", "balance too low, please top up"),
    OVER_OFFLINE_SALE_CAP("脱机时金额过大，请减少金额", "amount too high while offline, pay a smaller amount"),
    OVER_OFFLINE_DAILY_CAP("此卡今日脱机限额已满", "daily offline limit reached for this card"),
    OVER_UNSYNCED_LIMIT("终端脱机过久，暂停刷卡", "terminal offline too long, card sales paused until it reconnects"),
    PIN_REQUIRED("请输入卡密码", "please enter the card password"),
    PIN_WRONG("卡密码错误", "wrong card password"),
    PIN_LOCKED("卡密码已锁定", "card password locked after too many wrong tries; it unlocks later, or at once at the card office"),
    PIN_NEEDS_CENTER("大额需联网验证，请减少金额或扫码支付", "sales above the password limit need the card center: pay a smaller amount, or by QR code from the app"),
    MEAL_LIMIT("本餐次消费次数已满", "meal limit for this period reached"),
    NOT_PROVISIONED("终端未开通，请联系卡务中心", "terminal not provisioned, call the card center"),
    CENTER_UNREACHABLE("无法连接卡务中心", "card center not reachable, online payment (and QR payment) not possible now"),
    STORAGE_FAULT("终端存储故障，未扣款", "terminal storage fault, sale not recorded, call a technician"),
    TIMEOUT("未刷卡，已超时", "no card presented in time"),
    QR_EXPIRED("付款码已过期，请重新开始", "payment code expired, please start again"),
    CENTER_DECLINED("卡务中心拒绝", "declined by the card center"),
    PAYCODE_MALFORMED("支付码无法识别", "payment code unreadable, please refresh it"),
    PAYCODE_UNKNOWN_ISSUER("支付码无法验证", "payment code cannot be verified here, please pay by card"),
    PAYCODE_BAD_CERTIFICATE("支付码无效", "payment code not issued by the card center"),
    PAYCODE_CERTIFICATE_EXPIRED("支付码已失效，请联网刷新", "payment code out of date, go online in the app to renew it"),
    PAYCODE_REVOKED("该设备已退出登录", "this phone is logged out, payment code not valid"),
    PAYCODE_BAD_SIGNATURE("支付码被篡改", "payment code altered or forged"),
    PAYCODE_NOT_YET_VALID("手机时间不准", "phone clock is wrong, please correct it"),
    PAYCODE_EXPIRED("支付码已过期，请刷新", "payment code expired, please refresh it"),
    PAYCODE_REPLAYED("支付码已使用，请刷新", "payment code already used, please refresh it"),
    PAYCODE_UNKNOWN_ACCOUNT("账户未知", "account unknown at this terminal, please pay by card"),
    PAYCODE_PASSWORD_AMOUNT("金额需输入卡密码，请刷卡", "amount needs the card password, please pay by card");

    private final String chinese;
    private final String english;

    DeclineReason(String chinese, String english) {
        this.chinese = chinese;
        this.english = english;
    }

    /** What the screen shows and the cashier reads out: {@code "中文 / English"}, Chinese first. */
    public String message() {
        return chinese + SEPARATOR + english;
    }

    /** The Chinese words alone. */
    public String chinese() {
        return chinese;
    }

    /** The English words alone. */
    public String english() {
        return english;
    }

    /** Between the Chinese and the English words of one text; the display puts them on two lines. */
    public static final String SEPARATOR = " / ";
}
