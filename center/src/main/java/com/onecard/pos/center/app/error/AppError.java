package com.onecard.pos.center.app.error;

/**
 * Every refusal of the campus app's service: a stable code (the enum's name, what clients
 * branch on), its HTTP status and the Chinese text the app shows; the English message is
 * given where it is thrown and names what was wrong. {@code docs/app-api.yaml} lists them all
 * (a test holds the two together).
 */
public enum AppError {
    BAD_FIELD(400, "请求字段有误"),
    BAD_JSON(400, "请求不是有效的 JSON"),
    BAD_QUERY(400, "请求地址的参数有误"),
    BODY_TOO_LARGE(413, "请求内容过大"),
    NO_SUCH_ENDPOINT(404, "没有这个接口"),
    METHOD_NOT_ALLOWED(405, "接口不支持这个请求方法"),
    NOT_FOUND(404, "没有找到"),
    INTERNAL(500, "一卡通中心暂时出错，请稍后再试"),
    UNAVAILABLE(503, "一卡通中心暂时不可用，请稍后再试"),

    NOT_AUTHENTICATED(401, "请先登录"),
    TOKEN_INVALID(401, "登录凭证无效，请重新登录"),
    TOKEN_EXPIRED(401, "登录凭证已过期，请刷新或重新登录"),
    SESSION_ENDED(401, "登录已失效（已退出、换机或被注销），请重新登录"),
    PASSWORD_CHANGE_REQUIRED(403, "请先修改初始密码"),
    ADMIN_ONLY(403, "仅限一卡通管理中心使用"),
    STUDENT_ONLY(403, "仅限持卡学生使用"),
    NOT_YOUR_ACCOUNT(403, "只能操作本人的账户"),

    SMS_TOO_SOON(429, "验证码发送太频繁，请稍后再试"),
    SMS_RATE_LIMITED(429, "验证码发送次数已达上限，请稍后再试"),
    SMS_UNAVAILABLE(503, "短信服务暂不可用"),
    CODE_WRONG(401, "验证码错误"),
    CODE_EXPIRED(401, "验证码已失效，请重新获取"),
    TOO_MANY_ATTEMPTS(429, "错误次数过多，请稍后再试"),
    PHONE_TICKET_INVALID(401, "手机验证已失效，请重新获取验证码"),
    PHONE_TAKEN(409, "该手机号已绑定其他账号"),
    PHONE_CHANGE_REQUIRED(409, "账号已绑定其他手机号，请在原手机上更换号码或到一卡通中心办理"),
    PHONE_NOT_BOUND(409, "账号尚未绑定手机号"),
    BAD_CREDENTIALS(401, "学号或密码错误"),
    WEAK_PASSWORD(400, "新密码不符合要求"),
    REFRESH_INVALID(401, "刷新凭证无效，请重新登录"),
    REFRESH_REUSED(401, "刷新凭证被重复使用，登录已注销，请重新登录"),
    DEVICE_MISMATCH(401, "设备不符，请重新登录"),

    WRONG_CARD_PASSWORD(403, "卡密码错误"),
    CARD_PASSWORD_REQUIRED(403, "此笔支付需要输入卡密码"),
    ALREADY_LOST(409, "卡已挂失"),
    NOT_LOST(409, "卡未挂失"),
    ACCOUNT_NOT_ACTIVE(409, "账户状态不允许此操作"),
    UNKNOWN_CARD(404, "没有找到这张卡"),

    CHANNEL_UNAVAILABLE(503, "该支付方式暂不可用"),
    PROVIDER_FAILED(502, "支付机构暂时无法处理，请稍后再试"),
    ORDER_NOT_FOUND(404, "没有找到这笔充值订单"),

    NOTIFY_MALFORMED(400, "支付通知格式有误"),
    NOTIFY_BAD_SIGNATURE(401, "支付通知签名无效"),
    NOTIFY_STALE(400, "支付通知已过时"),
    NOTIFY_UNKNOWN_ORDER(404, "支付通知的订单不存在"),
    NOTIFY_AMOUNT_MISMATCH(409, "支付通知的金额与订单不符"),
    NOTIFY_ORDER_CLOSED(409, "订单已关闭"),
    NOTIFY_NOT_PAID(400, "支付通知不是支付成功"),

    PHOTO_NOT_JPEG(422, "照片须为 JPEG 格式"),
    PHOTO_FILE_SIZE(422, "照片文件大小不符合要求"),
    PHOTO_DIMENSIONS(422, "照片像素尺寸不符合要求"),
    PHOTO_ASPECT(422, "照片宽高比不符合证件照要求"),
    PHOTO_ALREADY_REVIEWED(409, "照片已审核"),

    BAD_FORMAT(400, "付款码格式有误"),
    BAD_CRC(400, "付款码校验失败"),
    BAD_MAC(403, "付款码无效"),
    EXPIRED(409, "付款码已过期"),
    REPLAYED(409, "付款码已使用"),
    CANCELLED(409, "收银员已取消这笔交易"),
    UNKNOWN_TERMINAL(404, "未知的收款终端"),
    INSUFFICIENT_FUNDS(409, "余额不足");

    public final int status;
    public final String zh;

    AppError(int status, String zh) {
        this.status = status;
        this.zh = zh;
    }

    /** A refusal with this code and an English message naming what was wrong. */
    public Refusal with(String message) {
        return new Refusal(this, message);
    }
}
