// 扫一扫: the phone's camera reads the dynamic QR code on the canteen POS screen (jsQR, vendored
// from npm), the service says what it charges, the student confirms (with the card password
// where the rules ask for it) and pays. Performance marks oc-scan-frame (first camera frame
// looked at), oc-scan-decoded and oc-scan-paid time the path for the benchmark.
import { api } from './api.js';
import { t } from './i18n.js';
import { act, field, h, outcome } from './dom.js';

const MAX_WIDTH = 640;

export async function scanScreen(show) {
  const video = h('video', { id: 'scan-video', autoplay: true, muted: true, playsinline: true });
  const out = outcome();
  const panel = h('div', { id: 'scan-panel' });
  show('scan', h('div', { class: 'card' }, h('p', { class: 'note' }, t('scanNote')), video, out.el), panel);
  for (const m of ['oc-scan-frame', 'oc-scan-decoded', 'oc-scan-paid']) {
    performance.clearMarks(m);
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (e) {
    out.error(new Error(t('cameraFailed', { e: e.name + ': ' + e.message })));
    return;
  }
  const stop = () => stream.getTracks().forEach(tr => tr.stop());
  window.addEventListener('hashchange', stop, { once: true });
  video.srcObject = stream;
  await video.play().catch(() => {});
  const payload = await readCode(video);
  stop();
  if (payload === null) {
    return;
  }
  video.hidden = true;
  await confirmScreen(panel, out, payload);
}

/** Looks at camera frames until one holds a QR code; null when the screen was left. */
function readCode(video) {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let first = true;
  return new Promise(resolve => {
    function look() {
      if (!video.isConnected) {
        resolve(null);
        return;
      }
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        if (first) {
          performance.mark('oc-scan-frame');
          first = false;
        }
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
        if (code && code.data) {
          performance.mark('oc-scan-decoded');
          resolve(code.data);
          return;
        }
      }
      setTimeout(look, 40);
    }
    look();
  });
}

async function confirmScreen(panel, out, payload) {
  let p;
  try {
    p = await api('POST', '/qr/parse', { payload });
  } catch (e) {
    out.error(e);
    return;
  }
  const pw = h('input', { id: 'scan-card-password', type: 'password', inputmode: 'numeric', autocomplete: 'off', maxlength: 7 });
  const pay = h('button', { type: 'button', id: 'scan-pay', class: 'primary' }, t('confirmPay'));
  const cancel = h('a', { href: '#/home', class: 'primary secondary', id: 'scan-cancel' }, t('cancel'));
  const row = (key, id, value) => h('div', {}, h('span', { class: 'note' }, t(key) + '：'), h('strong', { id }, value));
  panel.replaceChildren(h('div', { class: 'card', id: 'scan-confirm' },
    row('canteen', 'scan-merchant', p.merchant_name), row('window', 'scan-terminal', p.terminal_id),
    h('div', { class: 'money', id: 'scan-amount' }, '¥' + p.amount_yuan),
    p.card_password_required ? [h('p', { class: 'note' }, t('needCardPassword')), field('cardPassword', pw)] : [],
    pay, cancel, out.el));
  pay.addEventListener('click', () => act(pay, out, async () => {
    const body = { payload };
    if (p.card_password_required) {
      body.card_password = pw.value;
    }
    const r = await api('POST', '/qr/pay', body);
    performance.mark('oc-scan-paid');
    panel.replaceChildren(h('div', { class: 'card', id: 'scan-paid' },
      h('div', { class: 'ok' }, t('paid')), row('canteen', 'scan-merchant', r.merchant_name),
      h('div', { class: 'money', id: 'scan-paid-amount' }, '¥' + r.amount_yuan),
      row('balanceAfter', 'scan-balance-after', r.balance_after_yuan)),
    h('a', { href: '#/home', class: 'primary', id: 'back-home' }, t('backHome')));
  }));
}
