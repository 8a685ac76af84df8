// The card office's page (admin role): each section on the admin API.
import { api } from './api.js';
import { currentLang, t } from './i18n.js';
import { act, field, h, outcome, when } from './dom.js';

/** Sections in the order the card office works through them; each fills its own box. */
const SECTIONS = [
  ['fleet', fleetSection],
  ['lostCards', lostSection],
  ['photoReview', photosSection],
  ['notices', noticeSection],
  ['reconciliation', reconciliationSection],
];

export async function officeScreen(show) {
  const boxes = SECTIONS.map(([key, fill]) => {
    const box = h('section', { class: 'card', id: 'office-' + key }, h('h2', {}, t(key)));
    return [box, fill];
  });
  show('office', boxes.map(([box]) => box));
  await Promise.all(boxes.map(([box, fill]) => fill(box).catch(e => {
    const out = outcome();
    out.error(e);
    box.append(out.el);
  })));
}

async function fleetSection(box) {
  const r = await api('GET', '/admin/terminals');
  const yes = v => (v === undefined ? '—' : v ? t('yes') : t('no'));
  box.append(h('p', { class: 'note' }, t('fleetNote')), r.items.length === 0 ? h('p', { class: 'note' }, t('nothing'))
    : h('table', { id: 'fleet' }, h('tr', {}, h('th', {}, t('terminal')), h('th', {}, t('connected')), h('th', {}, t('appliedSeq')),
      h('th', {}, t('backlog')), h('th', {}, t('backlogSum')), h('th', {}, t('oldestUnsent')), h('th', {}, t('readerState')),
      h('th', {}, t('lastSale'))),
    r.items.map(x => h('tr', { 'data-terminal': x.terminal_id },
      h('td', {}, x.terminal_id + (x.revoked ? ' ' + t('revoked') : '') + (x.quarantined ? ' ' + t('quarantined') : '')),
      h('td', { class: 'connected' }, yes(x.connected)), h('td', {}, x.applied_seq),
      h('td', { class: 'backlog' }, x.health ? String(x.health.backlog_count) : '—'),
      h('td', { class: 'backlog-sum' }, x.health ? '¥' + x.health.backlog_yuan : '—'),
      h('td', { class: 'oldest-unsent' }, x.health ? age(x.health.oldest_unsent_age_ms) : '—'),
      h('td', { class: 'reader-state' }, x.health ? x.health.reader_state : '—'),
      h('td', { class: 'last-sale' }, x.last_sale ? when(x.last_sale.time_ms, currentLang()) + ' ¥' + x.last_sale.yuan.replace('-', '') : '—')))));
}

/** An age in ms as the office reads it: seconds under a minute, then minutes, then hours. */
function age(ms) {
  if (ms < 60000) return Math.floor(ms / 1000) + ' s';
  if (ms < 3600000) return Math.floor(ms / 60000) + ' min';
  return Math.floor(ms / 3600000) + ' h';
}

async function lostSection(box) {
  const r = await api('GET', '/admin/lost-cards?limit=100');
  box.append(r.items.length === 0 ? h('p', { class: 'note' }, t('nothing')) : h('ul', { class: 'list', id: 'lost-cards' },
    r.items.map(l => h('li', { 'data-account': l.account_id },
      h('div', {}, h('div', {}, l.account_id + ' ' + l.holder_name + ' · ' + l.card_uids.join(', ')),
        l.sightings.length === 0 ? h('div', { class: 'sub' }, t('noSightings'))
          : l.sightings.map(s => h('div', { class: 'sub sighting' }, t('seenAt', { where: s.terminal_id, when: when(s.time_ms, currentLang()) }))))))));
}

async function photosSection(box) {
  const list = h('div', { id: 'review-list' });
  box.append(list);
  async function load() {
    const r = await api('GET', '/admin/photos?limit=20');
    list.replaceChildren(...(r.items.length === 0 ? [h('p', { class: 'note' }, t('nothing'))] : r.items.map(p => reviewItem(p, load))));
  }
  await load();
}

function reviewItem(p, reload) {
  const img = h('img', { class: 'preview', alt: 'photo ' + p.photo_id });
  fetch('/api/v1/admin/photos/' + p.photo_id + '/jpeg', { headers: { Authorization: 'Bearer ' + localStorage.getItem('oc.access') } })
    .then(r => (r.ok ? r.blob() : null)).then(b => { if (b) { img.src = URL.createObjectURL(b); } });
  const reason = h('input', { id: 'reason-' + p.photo_id, placeholder: t('rejectReason') });
  const out = outcome();
  const yes = h('button', { type: 'button', class: 'primary', id: 'approve-' + p.photo_id }, t('approve'));
  const no = h('button', { type: 'button', class: 'secondary', id: 'reject-' + p.photo_id }, t('reject'));
  yes.addEventListener('click', () => act(yes, out, async () => {
    await api('POST', '/admin/photos/' + p.photo_id + '/review', { approve: true });
    await reload();
  }));
  no.addEventListener('click', () => act(no, out, async () => {
    await api('POST', '/admin/photos/' + p.photo_id + '/review', { approve: false, reason: reason.value.trim() });
    await reload();
  }));
  return h('div', { class: 'review', 'data-photo': p.photo_id },
    h('p', {}, '#' + p.photo_id + ' · account ' + p.account_id + ' · ' + p.width + '×' + p.height + ' · '
      + when(Date.parse(p.submitted_at), currentLang())), img, yes, reason, no, out.el);
}

async function noticeSection(box) {
  const text = h('input', { id: 'notice-text' });
  const account = h('input', { id: 'notice-account', inputmode: 'numeric' });
  const out = outcome();
  const go = h('button', { type: 'submit', class: 'primary', id: 'notice-send' }, t('send'));
  const form = h('form', { id: 'notice-form' }, field('noticeText', text), field('accountIdOpt', account), go, out.el);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(go, out, async () => {
      const body = { text: text.value.trim() };
      if (account.value.trim()) {
        body.account_id = Number(account.value.trim());
      }
      const r = await api('POST', '/admin/notices', body);
      form.reset();
      out.ok(t('sent') + ' (' + r.sent + ')');
    });
  });
  box.append(form);
}

async function reconciliationSection(box) {
  const channel = h('select', { id: 'recon-channel' }, h('option', { value: 'wechat' }, t('wechat')), h('option', { value: 'alipay' }, t('alipay')));
  const day = h('input', { id: 'recon-day', type: 'date' });
  const out = outcome();
  const go = h('button', { type: 'button', class: 'secondary', id: 'recon-go' }, t('reconcile'));
  const runs = h('div', { id: 'recon-runs' });
  async function load() {
    const r = await api('GET', '/admin/reconciliations?limit=10');
    runs.replaceChildren(...(r.items.length === 0 ? [h('p', { class: 'note' }, t('nothing'))] : r.items.map(run => h('div', { class: 'run' },
      h('p', {}, run.channel + ' ' + run.day + ' · ' + (run.clean ? t('clean') : t('differences') + ' ' + run.differences.length)),
      run.differences.length === 0 ? null : h('table', {}, h('tr', {}, h('th', {}, 'out_trade_no'), h('th', {}, 'kind'), h('th', {}, 'fen')),
        run.differences.map(d => h('tr', {}, h('td', {}, d.out_trade_no), h('td', {}, d.kind),
          h('td', {}, (d.statement_fen ?? '—') + ' / ' + (d.ledger_fen ?? '—')))))))));
  }
  go.addEventListener('click', () => act(go, out, async () => {
    const body = { channel: channel.value };
    if (day.value) {
      body.day = day.value;
    }
    await api('POST', '/admin/reconciliations', body);
    await load();
  }));
  box.append(field('channel', channel), field('day', day), go, out.el, runs);
  await load();
}
