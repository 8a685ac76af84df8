// The app service's client: JSON over fetch on this origin, the access token on every call, one
// refresh (device-bound, rotated) when the access token has expired. A refusal becomes an
// ApiError carrying the service's code and both messages; the screens show it in the chosen language.
import { currentLang, t } from './i18n.js';

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || ('HTTP ' + status));
    this.status = status;
    this.code = body.code || 'NETWORK';
    this.body = body;
  }

  /** What a person reads: the message in the chosen language, with tries left or the wait. */
  text() {
    if (this.code === 'NETWORK') {
      return t('networkError');
    }
    let s = currentLang() === 'en' ? this.body.message : (this.body.message_zh || this.body.message);
    if (this.body.attempts_left !== undefined) {
      s += ' (' + t('attemptsLeft', { n: this.body.attempts_left }) + ')';
    }
    if (this.body.retry_after_s !== undefined) {
      s += ' (' + t('retryAfter', { s: this.body.retry_after_s }) + ')';
    }
    return s;
  }
}

export function deviceId() {
  let d = localStorage.getItem('oc.device');
  if (!d) {
    d = 'h5-' + crypto.randomUUID();
    localStorage.setItem('oc.device', d);
  }
  return d;
}

export function loggedIn() {
  return !!localStorage.getItem('oc.access');
}

export function keepTokens(r) {
  localStorage.setItem('oc.access', r.access_token);
  localStorage.setItem('oc.refresh', r.refresh_token);
}

export function forgetTokens() {
  localStorage.removeItem('oc.access');
  localStorage.removeItem('oc.refresh');
}

async function once(method, path, body, contentType) {
  const headers = {};
  const token = localStorage.getItem('oc.access');
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  let payload;
  if (body instanceof Blob) {
    headers['Content-Type'] = contentType || body.type;
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(BASE + path, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { code: 'NETWORK', message: String(e) });
  }
  const text = await r.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = { code: 'INTERNAL', message: 'not JSON: HTTP ' + r.status, message_zh: '一卡通中心的回复无法读取' };
  }
  if (!r.ok) {
    throw new ApiError(r.status, json);
  }
  return json;
}

let refreshing = null;

/**
 * Swaps the refresh token once per tab at a time. Two tabs may send the same token: the service
 * answers a token presented again within 10 s of its rotation with the same successor, so both
 * tabs end up with the same tokens. False when the service refused it (401: the session has
 * ended, or the stored token is none the service knows; tokens forgotten); any other failure (no
 * answer, the service unavailable or busy) is thrown as the call's error and the tokens are kept,
 * since the session may well be alive.
 */
async function refresh() {
  const rt = localStorage.getItem('oc.refresh');
  if (!rt) {
    return false;
  }
  if (!refreshing) {
    refreshing = once('POST', '/auth/refresh', { refresh_token: rt, device_id: deviceId() })
      .then(r => { keepTokens(r); return true; })
      .catch(e => {
        if (e instanceof ApiError && e.status === 401) {
          forgetTokens();
          return false;
        }
        throw e;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** One call; a refusal throws ApiError. An expired access token is refreshed once. */
export async function api(method, path, body, contentType) {
  try {
    return await once(method, path, body, contentType);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'TOKEN_EXPIRED' && await refresh()) {
      return once(method, path, body, contentType);
    }
    if (e instanceof ApiError && ['SESSION_ENDED', 'TOKEN_INVALID', 'NOT_AUTHENTICATED', 'TOKEN_EXPIRED',
      'REFRESH_REUSED', 'REFRESH_INVALID'].includes(e.code)) {
      forgetTokens();
      window.dispatchEvent(new CustomEvent('oc-logged-out'));
    }
    if (e instanceof ApiError && e.code === 'PASSWORD_CHANGE_REQUIRED') {
      location.hash = '#/password';
    }
    throw e;
  }
}
