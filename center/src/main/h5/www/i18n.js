// The app's words: Chinese (the manual's) first, English beside them. The choice is kept on this phone.
const WORDS = {
  app: ['校园一卡通', 'Campus Card'],
  login: ['登录', 'Log in'],
  phone: ['手机号', 'Mobile number'],
  code: ['验证码', 'SMS code'],
  getCode: ['获取验证码', 'Get code'],
  codeSent: ['验证码已发送', 'Code sent'],
  resendIn: ['{s} 秒后重发', 'Resend in {s} s'],
  studentNumber: ['学号', 'Student number'],
  password: ['密码', 'Password'],
  identityNote: ['首次登录请用统一身份认证：学号和密码（初始密码为身份证号后六位）', 'First login: your campus identity, student number and password (initially the last six digits of your ID number)'],
  changePassword: ['修改初始密码', 'Change your initial password'],
  changeNote: ['为了账户安全，请先修改初始密码：8–64 位，含字母和数字。', 'For your account\'s safety, change the initial password first: 8–64 characters, letters and digits.'],
  currentPassword: ['当前密码', 'Current password'],
  newPassword: ['新密码', 'New password'],
  confirmPassword: ['确认新密码', 'Confirm new password'],
  passwordsDiffer: ['两次输入的新密码不一致', 'The two new passwords differ'],
  confirm: ['确定', 'Confirm'],
  logout: ['退出登录', 'Log out'],
  home: ['首页', 'Home'],
  topup: ['账户充值', 'Top up'],
  bills: ['账单', 'Bills'],
  balance: ['余额', 'Balance'],
  messages: ['消息', 'Messages'],
  loss: ['卡挂失', 'Report loss'],
  found: ['拾卡登记', 'Found card'],
  photo: ['照片采集', 'Photo'],
  paycode: ['支付码', 'Payment code'],
  scan: ['扫一扫', 'Scan'],
  office: ['一卡通管理中心', 'Card office'],
  cardBalance: ['卡余额（元）', 'Card balance (yuan)'],
  amountYuan: ['充值金额（元）', 'Amount (yuan)'],
  amountRule: ['每次 1–1000 元，整数', '1 to 1000 yuan per top-up, whole yuan'],
  amountBad: ['请输入 1–1000 之间的整数金额', 'Enter a whole number of yuan from 1 to 1000'],
  channel: ['支付方式', 'Pay with'],
  wechat: ['微信支付', 'WeChat Pay'],
  alipay: ['支付宝', 'Alipay'],
  toPay: ['去支付', 'Pay'],
  topupResult: ['充值结果', 'Top-up result'],
  topupPaid: ['充值成功', 'Top-up done'],
  topupWaiting: ['正在等待支付结果…', 'Waiting for the payment result…'],
  topupClosed: ['订单已关闭，未扣款', 'The order is closed; nothing was charged'],
  orderNo: ['订单号', 'Order number'],
  backHome: ['返回首页', 'Back to home'],
  month: ['月份', 'Month'],
  noBills: ['本月没有账单', 'No bills this month'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  pageOf: ['第 {p} / {n} 页', 'Page {p} of {n}'],
  kind_TOP_UP: ['充值', 'Top-up'],
  kind_SALE: ['刷卡消费', 'Card purchase'],
  kind_QR: ['扫码消费', 'QR purchase'],
  kind_QR_SALE: ['扫码消费', 'QR purchase'],
  kind_REVERSAL: ['冲正', 'Reversal'],
  kind_REFUND: ['退款', 'Refund'],
  subsidy: ['补助钱包', 'Subsidy purse'],
  cash: ['现金钱包', 'Cash purse'],
  total: ['合计', 'Total'],
  cardStatus: ['卡状态', 'Card status'],
  status_ACTIVE: ['正常', 'Active'],
  status_LOST: ['已挂失', 'Reported lost'],
  status_FROZEN: ['冻结', 'Frozen'],
  status_EXPIRED: ['过期', 'Expired'],
  noMessages: ['暂无消息', 'No messages'],
  cardPassword: ['卡密码', 'Card password'],
  cardPasswordNote: ['默认卡密码为身份证号后 6 位（末位 X 输入 0）或除最后一位外的后 7 位', 'The default card password is the last 6 digits of your ID number (a final X as 0), or the 7 digits before the last'],
  reportLoss: ['挂失', 'Report lost'],
  cancelLoss: ['解挂', 'Cancel loss'],
  lostDone: ['挂失成功，所有终端将拒绝此卡', 'Reported lost: every terminal now refuses the card'],
  unlostDone: ['解挂成功，卡可以正常使用', 'Loss cancelled: the card works again'],
  cardUid: ['卡号（卡片上的卡号）', 'Card number (printed on the card)'],
  place: ['拾卡地点', 'Where you found it'],
  contact: ['联系方式（选填）', 'How to reach you (optional)'],
  register: ['登记', 'Register'],
  foundDone: ['登记成功，失主已收到通知', 'Registered: the owner has been told'],
  photoNote: ['请上传近期免冠证件照（JPEG，4–512 KB，宽 260–1200、高 320–1600 像素，高宽比 1.20–1.50，例如 358×441）', 'Upload a recent ID photo (JPEG, 4–512 KB, 260–1200 wide, 320–1600 high, height/width 1.20–1.50, e.g. 358×441)'],
  takePhoto: ['拍照或选择照片', 'Take or choose a photo'],
  upload: ['上传', 'Upload'],
  photoSent: ['已提交，等待一卡通中心审核', 'Sent: waiting for the card office\'s review'],
  myPhotos: ['我的照片', 'My photos'],
  photo_PENDING: ['待审核', 'Waiting for review'],
  photo_APPROVED: ['已通过', 'Approved'],
  photo_REJECTED: ['未通过', 'Refused'],
  photo_REPLACED: ['已替换', 'Replaced'],
  reason: ['原因', 'Reason'],
  paycodeClosed: ['支付码需要终端硬件支持，暂未开放。', 'The payment code needs terminal hardware support; it is not open yet.'],
  scanNote: ['将摄像头对准食堂收款机屏幕上的二维码', 'Point the camera at the QR code on the canteen POS screen'],
  cameraFailed: ['无法打开摄像头：{e}', 'The camera could not be opened: {e}'],
  canteen: ['商户', 'Canteen'],
  window: ['窗口', 'Window'],
  amount: ['金额（元）', 'Amount (yuan)'],
  confirmPay: ['确认支付', 'Confirm payment'],
  cancel: ['取消', 'Cancel'],
  paid: ['支付成功', 'Paid'],
  balanceAfter: ['支付后余额（元）', 'Balance after (yuan)'],
  needCardPassword: ['此笔支付需要输入卡密码', 'This payment needs your card password'],
  attemptsLeft: ['还可尝试 {n} 次', '{n} tries left'],
  retryAfter: ['请 {s} 秒后再试', 'Try again in {s} s'],
  networkError: ['网络不通，请稍后再试', 'No connection to the card center; try again'],
  loading: ['加载中…', 'Loading…'],
  fleet: ['终端状态', 'Terminals'],
  lostCards: ['挂失卡与发现记录', 'Lost cards and sightings'],
  photoReview: ['照片审核', 'Photos to review'],
  notices: ['发送通知', 'Send a notice'],
  reconciliation: ['对账差异', 'Reconciliation'],
  approve: ['通过', 'Approve'],
  reject: ['不通过', 'Refuse'],
  rejectReason: ['不通过的原因', 'Why it is refused'],
  noticeText: ['通知内容', 'Notice text'],
  accountIdOpt: ['账户号（留空发给全部账户）', 'Account (empty: every account)'],
  send: ['发送', 'Send'],
  sent: ['已发送', 'Sent'],
  nothing: ['没有记录', 'Nothing here'],
  reconcile: ['对账', 'Reconcile'],
  day: ['日期', 'Day'],
  clean: ['一致', 'Clean'],
  differences: ['差异', 'Differences'],
};

let lang = localStorage.getItem('oc.lang') === 'en' ? 'en' : 'zh';

export function currentLang() {
  return lang;
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('oc.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

/** The word for {@code key} in the current language, with {name} placeholders filled in. */
export function t(key, vars = {}) {
  const w = WORDS[key];
  let s = w ? w[lang === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) {
    s = s.replace('{' + k + '}', String(v));
  }
  return s;
}

/** A word that may be missing (a bill kind, a status): the key's word, else the raw value. */
export function tOr(key, raw) {
  return WORDS[key] ? t(key) : raw;
}
