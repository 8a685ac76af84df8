// Small DOM helpers: elements are built, never parsed from strings, so text from the service
// (messages, places, names) is always text.
import { ApiError } from './api.js';
import { t } from './i18n.js';

/** h('button', {class: 'primary', onclick: f}, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
  return el;
}

/** A box for the outcome of an action: show(error) or ok(text). */
export function outcome() {
  const box = h('div', { role: 'status' });
  box.hidden = true;
  return {
    el: box,
    error(e) {
      box.hidden = false;
      box.className = 'error';
      box.textContent = e instanceof ApiError ? e.text() : (e && e.message) || String(e);
      if (e instanceof ApiError) {
        box.dataset.code = e.code;
      }
    },
    ok(text) {
      box.hidden = false;
      box.className = 'ok';
      box.textContent = text;
      delete box.dataset.code;
    },
    clear() {
      box.hidden = true;
      box.textContent = '';
    },
  };
}

/** Runs an action with its button disabled; a refusal goes to the outcome box. */
export async function act(button, out, fn) {
  button.disabled = true;
  out.clear();
  try {
    await fn();
  } catch (e) {
    out.error(e);
  } finally {
    button.disabled = false;
  }
}

const CST = 'Asia/Shanghai';

/** A time in China Standard Time, as the campus reads it. */
export function when(ms, lang) {
  return new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

/** This month (YYYY-MM) in China Standard Time. */
export function thisMonth() {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: CST, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return p.find(x => x.type === 'year').value + '-' + p.find(x => x.type === 'month').value;
}

export function field(labelKey, input) {
  return [h('label', { for: input.id }, t(labelKey)), input];
}
