// The campus app (H5): the manual's screens in its order, on the app service's API (docs/app-api.yaml).
import { api, deviceId, forgetTokens, keepTokens, loggedIn } from './api.js';
import { currentLang, setLang, t, tOr } from './i18n.js';
import { act, field, h, outcome, thisMonth, when } from './dom.js';
import { scanScreen } from './scan.js';
import { officeScreen } from './office.js';
import { paycodeScreen } from './paycode.js';

const view = document.getElementById('view');
const title = document.getElementById('title');
const back = document.getElementById('back');
let me = null;
let leaving = null;
// The initial password typed at the identity login, kept in memory only (never in Web Storage)
// to prefill the forced change; cleared once read, after the change and at logout.
let initialPassword = null;
sessionStorage.removeItem('oc.initial'); // where older versions of this page kept it

/** The home page's entries, in the manual's order. */
export const HOME = [
  ['topup', '充'], ['bills', '账'], ['balance', '余'], ['messages', '信'], ['loss', '挂'],
  ['found', '拾'], ['photo', '照'], ['paycode', '码'], ['scan', '扫'],
];

function show(titleKey, ...children) {
  title.textContent = t(titleKey);
  document.title = t(titleKey) + ' · ' + t('app');
  back.hidden = titleKey === 'home' || titleKey === 'login';
  view.replaceChildren(...children.flat());
  view.dataset.screen = titleKey;
  if (performance.getEntriesByName('oc-app-ready').length === 0) {
    performance.mark('oc-app-ready');
  }
}

function input(id, attrs = {}) {
  return h('input', { id, name: id, ...attrs });
}

// ---- login: phone + code, then student number + password, then the forced change ----

function loginScreen() {
  const phone = input('phone', { type: 'tel', inputmode: 'numeric', autocomplete: 'tel', maxlength: 11 });
  const code = input('code', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  const out = outcome();
  const getCode = h('button', { type: 'button', id: 'get-code', class: 'secondary small' }, t('getCode'));
  getCode.addEventListener('click', () => act(getCode, out, async () => {
    await api('POST', '/auth/sms-code', { phone: phone.value.trim() });
    out.ok(t('codeSent'));
    let s = 60;
    const timer = setInterval(() => {
      s -= 1;
      getCode.textContent = s > 0 ? t('resendIn', { s }) : t('getCode');
      if (s <= 0) {
        clearInterval(timer);
      }
    }, 1000);
  }));
  const go = h('button', { type: 'submit', id: 'phone-login', class: 'primary' }, t('login'));
  const form = h('form', { class: 'card', id: 'login-form' },
    field('phone', phone),
    h('label', { for: 'code' }, t('code')), h('div', { class: 'row' }, code, getCode),
    go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(go, out, async () => {
      const r = await api('POST', '/auth/phone-login', { phone: phone.value.trim(), code: code.value.trim(), device_id: deviceId() });
      if (r.logged_in) {
        loggedInWith(r);
      } else {
        identityScreen(r.phone_ticket);
      }
    });
  });
  show('login', form);
}

function identityScreen(ticket) {
  const sn = input('student-number', { autocomplete: 'username' });
  const pw = input('password', { type: 'password', autocomplete: 'current-password' });
  const out = outcome();
  const go = h('button', { type: 'submit', id: 'identity-login', class: 'primary' }, t('login'));
  const form = h('form', { class: 'card', id: 'identity-form' },
    h('p', { class: 'note' }, t('identityNote')), field('studentNumber', sn), field('password', pw), go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(go, out, async () => {
      const r = await api('POST', '/auth/login', { student_number: sn.value.trim(), password: pw.value, phone_ticket: ticket, device_id: deviceId() });
      initialPassword = r.must_change_password ? pw.value : null;
      loggedInWith(r);
    });
  });
  show('login', form);
}

function loggedInWith(tokens) {
  keepTokens(tokens);
  me = null;
  const target = tokens.must_change_password ? '#/password' : '#/home';
  if (location.hash === target) {
    route();
  } else {
    location.hash = target; // the hashchange routes, once (routing here too drew the screen twice)
  }
}

function passwordScreen() {
  const cur = input('current-password', { type: 'password', autocomplete: 'current-password', value: initialPassword || '' });
  initialPassword = null;
  const np = input('new-password', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 64 });
  const np2 = input('new-password-2', { type: 'password', autocomplete: 'new-password' });
  const out = outcome();
  const go = h('button', { type: 'submit', id: 'change-password', class: 'primary' }, t('confirm'));
  const form = h('form', { class: 'card', id: 'password-form' },
    h('p', { class: 'note' }, t('changeNote')), field('currentPassword', cur), field('newPassword', np),
    field('confirmPassword', np2), go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    if (np.value !== np2.value) {
      out.error(new Error(t('passwordsDiffer')));
      return;
    }
    act(go, out, async () => {
      await api('POST', '/me/password', { current_password: cur.value, new_password: np.value });
      cur.value = '';
      me = null;
      location.hash = '#/home';
    });
  });
  show('changePassword', form);
}

// ---- home ----

async function homeScreen() {
  const admin = me && me.role === 'admin';
  const tiles = admin ? [] : HOME.map(([key, icon]) => h('a', { href: '#/' + key, id: 'home-' + key },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), t(key)));
  if (admin) {
    tiles.push(h('a', { href: '#/office', id: 'home-office' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '管'), t('office')));
  }
  const total = h('div', { class: 'money', id: 'home-total' }, '—');
  const out = outcome();
  const logout = h('button', { type: 'button', id: 'logout', class: 'secondary' }, t('logout'));
  logout.addEventListener('click', async () => {
    try {
      await api('POST', '/auth/logout', {});
    } catch (e) {
      // the session ends here either way
    }
    forgetTokens();
    initialPassword = null;
    me = null;
    location.hash = '#/login';
  });
  const student = me && me.account_id !== undefined;
  show('home', student ? h('div', { class: 'card' }, h('div', { class: 'note' }, t('cardBalance')), total) : [],
    h('nav', { class: 'grid' }, tiles), out.el, logout);
  if (student) {
    try {
      const b = await api('GET', '/me/balance');
      total.textContent = b.yuan;
    } catch (e) {
      out.error(e);
    }
  }
  const pending = sessionStorage.getItem('oc.pending-topup');
  if (pending) {
    location.hash = '#/topup/result/' + pending;
  }
}

// ---- top-up ----

function topupScreen() {
  const amount = input('amount', { type: 'number', inputmode: 'numeric', min: 1, max: 1000, step: 1 });
  const choice = (value, key, checked) => h('label', {},
    h('input', { type: 'radio', name: 'channel', value, id: 'channel-' + value, checked }), t(key));
  const out = outcome();
  const go = h('button', { type: 'submit', id: 'topup-go', class: 'primary' }, t('toPay'));
  const form = h('form', { class: 'card', id: 'topup-form', novalidate: true },
    field('amountYuan', amount), h('p', { class: 'note' }, t('amountRule')),
    h('label', {}, t('channel')), h('div', { class: 'choices' }, choice('wechat', 'wechat', true), choice('alipay', 'alipay')),
    go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const yuan = Number(amount.value);
    if (!/^\d+$/.test(amount.value.trim()) || yuan < 1 || yuan > 1000) {
      out.error(new Error(t('amountBad')));
      return;
    }
    const channel = form.querySelector('input[name=channel]:checked').value;
    act(go, out, async () => {
      const o = await api('POST', '/topups', { yuan, channel });
      sessionStorage.setItem('oc.pending-topup', o.out_trade_no);
      leaving = o.out_trade_no;
      location.href = payUrl(o, channel);
    });
  });
  show('topup', form);
}

/** WeChat Pay's H5 page takes the page to come back to as redirect_url; Alipay's comes from the order. */
function payUrl(order, channel) {
  if (channel !== 'wechat') {
    return order.pay_url;
  }
  const back = location.origin + location.pathname + '#/topup/result/' + order.out_trade_no;
  return order.pay_url + (order.pay_url.includes('?') ? '&' : '?') + 'redirect_url=' + encodeURIComponent(back);
}

async function topupResultScreen(no) {
  const state = h('div', { id: 'topup-state', class: 'money' }, t('topupWaiting'));
  const out = outcome();
  show('topupResult', h('div', { class: 'card' }, h('div', { class: 'note' }, t('orderNo') + ' ', h('span', { id: 'order-no' }, no)),
    state, out.el), h('a', { href: '#/home', class: 'primary', id: 'back-home' }, t('backHome')));
  sessionStorage.removeItem('oc.pending-topup');
  const deadline = Date.now() + 60_000;
  while (view.dataset.screen === 'topupResult' && Date.now() < deadline) {
    try {
      const o = await api('GET', '/topups/' + encodeURIComponent(no));
      if (o.state === 'PAID') {
        state.textContent = t('topupPaid') + ' ¥' + o.yuan;
        state.dataset.state = 'PAID';
        return;
      }
      if (o.state === 'CLOSED') {
        state.textContent = t('topupClosed');
        state.dataset.state = 'CLOSED';
        return;
      }
    } catch (e) {
      out.error(e);
      if (e.code === 'ORDER_NOT_FOUND') {
        return;
      }
    }
    await new Promise(r => setTimeout(r, 700));
  }
}

// ---- bills, balance, messages ----

async function billsScreen() {
  const month = input('month', { type: 'month', value: sessionStorage.getItem('oc.bills-month') || thisMonth() });
  const list = h('ul', { class: 'list', id: 'bills' });
  const pageText = h('span', { id: 'bills-page' });
  const prev = h('button', { type: 'button', class: 'secondary small', id: 'bills-prev' }, t('prev'));
  const next = h('button', { type: 'button', class: 'secondary small', id: 'bills-next' }, t('next'));
  const out = outcome();
  const size = 10;
  let page = 1;
  async function load() {
    out.clear();
    try {
      const q = '?page=' + page + '&size=' + size + (month.value ? '&month=' + month.value : '');
      const r = await api('GET', '/me/bills' + q);
      const pages = Math.max(1, Math.ceil(r.total / size));
      list.replaceChildren(...(r.items.length === 0 ? [h('li', {}, t('noBills'))] : r.items.map(b => h('li', { class: 'bill' },
        h('div', {}, h('div', { class: 'kind' }, tOr('kind_' + b.kind, b.kind)),
          h('div', { class: 'sub' }, when(b.time_ms, currentLang()) + (b.terminal_id ? ' · ' + b.terminal_id : '')
            + (b.channel ? ' · ' + tOr(b.channel, b.channel) : ''))),
        h('div', { class: b.amount_fen >= 0 ? 'plus' : 'minus' }, (b.amount_fen > 0 ? '+' : '') + b.yuan)))));
      pageText.textContent = t('pageOf', { p: page, n: pages });
      prev.disabled = page <= 1;
      next.disabled = page >= pages;
    } catch (e) {
      out.error(e);
    }
  }
  prev.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { page += 1; load(); });
  month.addEventListener('change', () => { sessionStorage.setItem('oc.bills-month', month.value); page = 1; load(); });
  show('bills', h('div', { class: 'card' }, field('month', month)), list,
    h('div', { class: 'pager' }, prev, pageText, next), out.el);
  await load();
}

async function balanceScreen() {
  const out = outcome();
  show('balance', h('p', {}, t('loading')));
  try {
    const b = await api('GET', '/me/balance');
    show('balance',
      h('div', { class: 'card' }, h('div', { class: 'note' }, t('total')), h('div', { class: 'money', id: 'balance-total' }, b.yuan)),
      h('div', { class: 'purses' },
        h('div', { class: 'card' }, h('div', { class: 'note' }, t('subsidy')), h('div', { class: 'money', id: 'balance-subsidy' }, b.subsidy_yuan)),
        h('div', { class: 'card' }, h('div', { class: 'note' }, t('cash')), h('div', { class: 'money', id: 'balance-cash' }, b.cash_yuan))),
      h('div', { class: 'card' }, t('cardStatus') + '：', h('span', { id: 'card-status', class: 'status-' + b.status }, tOr('status_' + b.status, b.status))));
  } catch (e) {
    out.error(e);
    show('balance', out.el);
  }
}

async function messagesScreen() {
  const out = outcome();
  const list = h('ul', { class: 'list', id: 'messages' });
  show('messages', list, out.el);
  try {
    const r = await api('GET', '/me/messages');
    list.replaceChildren(...(r.items.length === 0 ? [h('li', {}, t('noMessages'))] : r.items.map(m => h('li', { class: 'message' },
      h('div', {}, h('div', { class: 'text' }, m.text), h('div', { class: 'sub' }, when(m.time_ms, currentLang())))))));
  } catch (e) {
    out.error(e);
  }
}

// ---- report loss / cancel it ----

async function lossScreen() {
  const out = outcome();
  const status = h('span', { id: 'card-status' });
  const pw = input('card-password', { type: 'password', inputmode: 'numeric', autocomplete: 'off', maxlength: 7 });
  const lose = h('button', { type: 'button', id: 'report-loss', class: 'primary' }, t('reportLoss'));
  const unlose = h('button', { type: 'button', id: 'cancel-loss', class: 'secondary' }, t('cancelLoss'));
  function state(s) {
    status.textContent = tOr('status_' + s, s);
    status.className = 'status-' + s;
    lose.hidden = s === 'LOST';
    unlose.hidden = s !== 'LOST';
  }
  lose.addEventListener('click', () => act(lose, out, async () => {
    const b = await api('POST', '/me/loss', { card_password: pw.value });
    pw.value = '';
    state(b.status);
    out.ok(t('lostDone'));
  }));
  unlose.addEventListener('click', () => act(unlose, out, async () => {
    const b = await api('POST', '/me/unloss', { card_password: pw.value });
    pw.value = '';
    state(b.status);
    out.ok(t('unlostDone'));
  }));
  show('loss', h('div', { class: 'card' }, h('div', {}, t('cardStatus') + '：', status),
    field('cardPassword', pw), h('p', { class: 'note' }, t('cardPasswordNote')), lose, unlose, out.el));
  try {
    state((await api('GET', '/me/balance')).status);
  } catch (e) {
    out.error(e);
  }
}

// ---- found card ----

function foundScreen() {
  const uid = input('card-uid', { autocapitalize: 'characters', autocomplete: 'off' });
  const place = input('place');
  const contact = input('contact');
  const out = outcome();
  const go = h('button', { type: 'submit', id: 'found-go', class: 'primary' }, t('register'));
  const form = h('form', { class: 'card', id: 'found-form' }, field('cardUid', uid), field('place', place), field('contact', contact), go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(go, out, async () => {
      const body = { card_uid: uid.value.trim().replace(/\s+/g, ''), place: place.value.trim() };
      if (contact.value.trim()) {
        body.contact = contact.value.trim();
      }
      await api('POST', '/found-cards', body);
      form.reset();
      out.ok(t('foundDone'));
    });
  });
  show('found', form);
}

// ---- photo ----

async function photoScreen() {
  const file = input('photo-file', { type: 'file', accept: 'image/jpeg', capture: 'user' });
  const preview = h('img', { class: 'preview', id: 'photo-preview', alt: '' });
  preview.hidden = true;
  const out = outcome();
  const go = h('button', { type: 'button', id: 'photo-upload', class: 'primary', disabled: true }, t('upload'));
  const list = h('ul', { class: 'list', id: 'photos' });
  let url = null;
  file.addEventListener('change', () => {
    out.clear();
    if (url) {
      URL.revokeObjectURL(url);
    }
    const f = file.files[0];
    go.disabled = !f;
    if (f) {
      url = URL.createObjectURL(f);
      preview.src = url;
      preview.hidden = false;
    }
  });
  async function mine() {
    const r = await api('GET', '/me/photos');
    list.replaceChildren(...(r.items.length === 0 ? [h('li', {}, t('nothing'))] : r.items.map(p => h('li', { class: 'photo' },
      h('div', {}, h('div', {}, tOr('photo_' + p.state, p.state) + ' · ' + p.width + '×' + p.height),
        p.reason ? h('div', { class: 'sub' }, t('reason') + '：' + p.reason) : null),
      h('div', { class: 'sub' }, when(Date.parse(p.submitted_at), currentLang()))))));
  }
  go.addEventListener('click', () => act(go, out, async () => {
    await api('POST', '/me/photos', file.files[0], 'image/jpeg');
    out.ok(t('photoSent'));
    await mine();
  }));
  show('photo', h('div', { class: 'card' }, h('p', { class: 'note' }, t('photoNote')),
    h('label', { for: 'photo-file' }, t('takePhoto')), file, preview, go, out.el), h('h2', {}, t('myPhotos')), list);
  try {
    await mine();
  } catch (e) {
    out.error(e);
  }
}

// ---- router ----

const SCREENS = {
  home: homeScreen, topup: topupScreen, bills: billsScreen, balance: balanceScreen, messages: messagesScreen,
  loss: lossScreen, found: foundScreen, photo: photoScreen, paycode: () => paycodeScreen(show, me), password: passwordScreen,
  scan: () => scanScreen(show), office: () => officeScreen(show),
};

async function route() {
  if (leaving) {
    return;
  }
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  if (!loggedIn()) {
    loginScreen();
    return;
  }
  if (!me) {
    try {
      me = await api('GET', '/me');
    } catch (e) {
      if (!loggedIn()) {
        loginScreen();
        return;
      }
      me = null;
    }
  }
  if (me && me.must_change_password && parts[0] !== 'password') {
    location.hash = '#/password';
    return;
  }
  if (parts[0] === 'topup' && parts[1] === 'result' && parts[2]) {
    await topupResultScreen(decodeURIComponent(parts[2]));
    return;
  }
  const screen = SCREENS[parts[0]] || homeScreen;
  await screen();
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(currentLang() === 'en' ? 'zh' : 'en');
  document.getElementById('lang').textContent = currentLang() === 'en' ? '中文' : 'EN';
  route();
});
back.addEventListener('click', () => { location.hash = '#/home'; });
window.addEventListener('hashchange', route);
window.addEventListener('oc-logged-out', () => { me = null; location.hash = '#/login'; route(); });
window.addEventListener('pageshow', () => { leaving = null; });
setLang(currentLang());
document.getElementById('lang').textContent = currentLang() === 'en' ? '中文' : 'EN';
route();
