// 支付码: the student shows a QR code that the canteen window's scanner reads; the terminal
// decides offline (docs/paycode.md). The device key is a non-extractable ECDSA P-256 key made
// here with WebCrypto and kept in IndexedDB (the private key never leaves the browser); the
// center certifies its public key for the logged-in account (POST /paycode/certificate); each
// code is version 1 ‖ certificate (158 bytes) ‖ time step (4) ‖ counter (2) ‖ signature r‖s (64)
// over "onecard-paycode-v1" ‖ bytes 0..164, shown as "OCP1" + base64url and drawn by the
// vendored QR encoder (qrcode-generator from npm). A new code every 30 s, in center time.
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import { h, outcome } from './dom.js';
import qrcode from './vendor/dist/qrcode.mjs';

export const STEP_MS = 30_000;
const CERT_LEN = 158;
const CODE_DOMAIN = new TextEncoder().encode('onecard-paycode-v1');
const DB = 'onecard-paycode';
const STORE = 'device';

function idb(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => { open.result.close(); resolve(req.result); };
      tx.onerror = () => { open.result.close(); reject(tx.error); };
    };
  });
}

/** This browser's device key pair: made once, private key non-extractable, kept in IndexedDB. */
async function deviceKeys() {
  const kept = await idb('readonly', s => s.get('keys'));
  if (kept && kept.privateKey && kept.publicKey) {
    return kept;
  }
  const made = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const keys = { privateKey: made.privateKey, publicKey: made.publicKey };
  await idb('readwrite', s => s.put(keys, 'keys'));
  return keys;
}

function b64url(bytes) {
  let s = '';
  for (const b of bytes) {
    s += String.fromCharCode(b);
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, c => c.charCodeAt(0));
}

/**
 * Has the device key certified for this session's account; the answer is kept (IndexedDB) so a
 * code can still be shown with the network down, until the certificate's not-after.
 */
async function certify(keys, accountId) {
  const point = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
  const asked = Date.now();
  try {
    const r = await api('POST', '/paycode/certificate', { public_key: b64url(point) });
    const cert = unb64url(r.certificate);
    if (cert.length !== CERT_LEN) {
      throw new Error(t('paycodeBadCertificate', { n: cert.length }));
    }
    const held = { cert, accountId, notAfterMs: r.not_after_ms,
      offsetMs: r.center_time_ms - Math.round((asked + Date.now()) / 2) };
    await idb('readwrite', s => s.put(held, 'certificate'));
    return held;
  } catch (e) {
    const kept = e instanceof ApiError && e.code === 'NETWORK' ? await idb('readonly', s => s.get('certificate')) : null;
    if (kept && kept.accountId === accountId && kept.notAfterMs > Date.now() + kept.offsetMs) {
      return kept;
    }
    throw e;
  }
}

/** The next counter for this certificate and time step (codes shown in one step count from 0). */
function nextCounter(cert, step) {
  const key = 'oc.paycode.' + b64url(cert.subarray(5, 13));
  const last = JSON.parse(localStorage.getItem(key) || 'null');
  const counter = last && last.step === step ? last.counter + 1 : 0;
  localStorage.setItem(key, JSON.stringify({ step, counter }));
  return counter;
}

/** One signed code, as docs/paycode.md lays it out byte by byte: "OCP1" + base64url (310 characters). */
export async function signCode(privateKey, cert, step, counter) {
  const body = new Uint8Array(165);
  const v = new DataView(body.buffer);
  body[0] = 1;
  body.set(cert, 1);
  v.setUint32(159, step);
  v.setUint16(163, counter);
  const signed = new Uint8Array(CODE_DOMAIN.length + body.length);
  signed.set(CODE_DOMAIN, 0);
  signed.set(body, CODE_DOMAIN.length);
  // WebCrypto's ECDSA signature is IEEE P1363 r ‖ s (64 bytes for P-256), the format's encoding.
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, signed));
  const code = new Uint8Array(229);
  code.set(body, 0);
  code.set(sig, 165);
  return 'OCP1' + b64url(code);
}

export async function paycodeScreen(show, me) {
  const out = outcome();
  const img = h('img', { id: 'paycode-qr', alt: t('paycode'), hidden: true });
  const until = h('p', { class: 'note', id: 'paycode-until' });
  show('paycode', h('div', { class: 'card', id: 'paycode-card' },
    h('p', { class: 'note' }, t('paycodeNote')), img, until, out.el));
  if (!me || me.account_id === undefined) {
    out.error(new Error(t('paycodeStudentsOnly')));
    return;
  }
  let held;
  let keys;
  try {
    keys = await deviceKeys();
    held = await certify(keys, me.account_id);
  } catch (e) {
    out.error(e);
    return;
  }
  async function draw() {
    if (!img.isConnected) {
      return;
    }
    const centerNow = Date.now() + held.offsetMs;
    if (centerNow >= held.notAfterMs) {
      img.hidden = true;
      out.error(new Error(t('paycodeCertificateExpired')));
      return;
    }
    const step = Math.floor(centerNow / STEP_MS);
    try {
      const text = await signCode(keys.privateKey, held.cert, step, nextCounter(held.cert, step));
      const qr = qrcode(0, 'M');
      qr.addData(text, 'Byte');
      qr.make();
      img.src = qr.createDataURL(4, 4);
      img.dataset.step = String(step);
      img.hidden = false;
      until.textContent = t('paycodeRefresh');
    } catch (e) {
      out.error(e);
    }
    setTimeout(draw, (step + 1) * STEP_MS - centerNow + 50);
  }
  await draw();
}
