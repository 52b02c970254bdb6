// The editors' page (/admin): what citizens search, which searches find
// nothing or are never opened, and the fixes — synonyms, pinned results,
// blocked hot words — with the audit of every change. An ES module, no
// dependencies, no build step.
//
// Safety rule: queries, words and ids are typed by the public or by
// editors; they reach the DOM only as text (el(), textContent), never as
// HTML.

import { APIError, call, keyStore, seg } from './adminapi.js';
import { drawChart } from './chart.js';
import { el } from './dom.js';

const LIST_LIMIT = 50; // rows of each query table
const SUM_LIMIT = 1000; // queries summed for the per-day chart
const AUDIT_ROWS = 200;

const $ = (id) => document.getElementById(id);
const ui = {
  nav: $('admin-nav'), logout: $('logout'), main: $('main'), notice: $('notice'),
  keyForm: $('key-form'), key: $('key'), keyError: $('key-error'), panels: $('panels'),
  days: $('days'), chart: $('chart'), chartTable: $('chart-table'),
  top: $('top'), zero: $('zero'), noclick: $('noclick'),
  hotNow: $('hot-now'), blocked: $('blocked'), blockForm: $('block-form'), blockQuery: $('block-query'),
  synonyms: $('synonyms'), synForm: $('synonym-form'), synName: $('syn-name'), synWords: $('syn-words'),
  pins: $('pins'), pinForm: $('pin-form'), pinQuery: $('pin-query'), pinIds: $('pin-ids'),
  dictionary: $('dictionary'), audit: $('audit'),
};

// ------------------------------------------------------------ the key

function showKeyForm(message) {
  ui.panels.hidden = ui.nav.hidden = ui.logout.hidden = true;
  ui.keyForm.hidden = false;
  ui.keyError.textContent = message || '';
  ui.key.value = '';
  ui.key.focus();
}

function showPanels() {
  ui.keyForm.hidden = true;
  ui.panels.hidden = ui.nav.hidden = ui.logout.hidden = false;
}

ui.keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const k = ui.key.value.trim();
  if (!k) { ui.keyError.textContent = '请输入管理密钥。'; return; }
  keyStore.set(k);
  ui.key.value = '';
  showPanels();
  ui.main.focus({ preventScroll: true });
  loadAll();
});

ui.logout.addEventListener('click', () => {
  keyStore.clear();
  say('已退出。');
  showKeyForm();
});

// ------------------------------------------------------------ messages

function say(text, isError = false) {
  ui.notice.textContent = text;
  ui.notice.classList.toggle('error', isError);
}

/**
 * Reports a failed call. A refused key sends the editor back to the key
 * form; anything else is said in the notice. Returns true when the key
 * was refused.
 */
function failed(err) {
  if (err instanceof APIError && (err.status === 401 || err.status === 403)) {
    keyStore.clear();
    showKeyForm(err.status === 401
      ? '管理密钥不正确或已失效，请重新输入。'
      : `服务器拒绝了管理操作：${err.message}`);
    return true;
  }
  say(`操作失败：${err.message}`, true);
  return false;
}

// ------------------------------------------------------------ tables

const fmtTime = (s) => {
  const d = new Date(s);
  if (!s || Number.isNaN(d.getTime())) return String(s ?? '');
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};
const fmtValue = (v) => (v == null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v) => String(Number(v) || 0);
const button = (text, label, onClick) => {
  const b = el('button', { type: 'button', className: 'btn small', 'aria-label': label, text });
  b.addEventListener('click', onClick);
  return b;
};

const CONFIRM_MS = 5000;

/**
 * A delete button: the first press arms it (and says so), a second press
 * within a few seconds deletes.
 */
function deleteButton(label, onConfirm) {
  const b = button('删除', label, () => {
    if (b.dataset.armed) { onConfirm(); return; }
    b.dataset.armed = '1';
    b.textContent = '确认删除';
    b.setAttribute('aria-label', '确认' + label);
    say(`再按一次“确认删除”即${label}。`);
    setTimeout(() => {
      delete b.dataset.armed;
      b.textContent = '删除';
      b.setAttribute('aria-label', label);
    }, CONFIRM_MS);
  });
  b.dataset.action = 'delete';
  return b;
}

/** A table of rows; columns are [heading, row → text or node]. */
function table(box, caption, columns, rows, empty) {
  if (!rows.length) {
    box.replaceChildren(el('p', { className: 'empty', text: empty }));
    return;
  }
  const head = el('tr', {}, ...columns.map(([h]) => el('th', { scope: 'col', text: h })));
  const body = rows.map((r) => el('tr', {}, ...columns.map(([, get], i) => {
    const v = get(r);
    const cell = el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {});
    cell.append(v instanceof Node ? v : String(v ?? ''));
    return cell;
  })));
  box.replaceChildren(el('table', {}, el('caption', { className: 'vh', text: caption }),
    el('thead', {}, head), el('tbody', {}, ...body)));
}

// ------------------------------------------------------------ queries

const days = () => Number(ui.days.value) || 7;
const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * Searches per day over the last n days, oldest first: from the API's
 * per-day figures, or — on a server without them — from the query totals
 * over the last k days (k = 1…n), a day's count being the difference of
 * two neighbouring totals.
 */
async function perDay(n) {
  const daily = await optionalList(`/api/admin/queries/daily?days=${n}`);
  if (daily && Array.isArray(daily.days)) {
    return daily.days.map((d) => ({ date: String(d.day), count: Number(d.searches) || 0 }))
      .sort((a, b) => a.date.localeCompare(b.date));
  }
  const totals = await Promise.all(Array.from({ length: n }, (_, i) =>
    call('GET', `/api/admin/queries?days=${i + 1}&limit=${SUM_LIMIT}`)
      .then((d) => (d && d.queries || []).reduce((s, q) => s + (Number(q.count) || 0), 0))));
  const today = new Date();
  const points = [];
  for (let k = n; k >= 1; k--) {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (k - 1));
    points.push({ date: isoDay(d), count: Math.max(0, totals[k - 1] - (k > 1 ? totals[k - 2] : 0)) });
  }
  return points;
}

function queryTable(box, caption, list, actions) {
  table(box, caption, [
    ['查询', (q) => q.query],
    ['搜索次数', (q) => num(q.count)],
    ['结果数', (q) => num(q.total)],
    ['点开次数', (q) => num(q.clicks)],
    ['最近一次', (q) => fmtTime(q.last)],
    ['操作', (q) => el('span', { className: 'actions' }, ...actions(q))],
  ], list, '这段时间没有这样的查询。');
}

const pinAction = (q) => button('置顶', `为“${q.query}”设置置顶`, () => fill(ui.pinForm, [ui.pinQuery, q.query], ui.pinIds));
const synAction = (q) => button('加同义词', `为“${q.query}”添加同义词`, () => fill(ui.synForm, [ui.synName, q.query], ui.synWords, q.query));
const blockAction = (q) => button('屏蔽热搜', `在热搜词中屏蔽“${q.query}”`, () => setBlocked(q.query, true));

/** Puts a query into a form and moves there, ready to complete it. */
function fill(form, [first, value], next, nextValue) {
  first.value = value;
  if (nextValue !== undefined) next.value = nextValue;
  form.scrollIntoView({ block: 'center' });
  next.focus();
}

async function loadQueries() {
  const n = days();
  const base = `/api/admin/queries?days=${n}&limit=${LIST_LIMIT}`;
  const [top, zero, noclick] = await Promise.all([
    call('GET', base), call('GET', base + '&zero=1'), call('GET', base + '&noclick=1'),
  ]);
  queryTable(ui.top, '搜索最多的查询', (top && top.queries) || [], (q) => [pinAction(q), blockAction(q)]);
  queryTable(ui.zero, '没有结果的查询', (zero && zero.queries) || [], (q) => [synAction(q)]);
  queryTable(ui.noclick, '有结果但无人点开的查询', (noclick && noclick.queries) || [], (q) => [pinAction(q)]);
  drawChart(ui.chart, ui.chartTable, await perDay(n), 'chart-caption');
}

ui.days.addEventListener('change', () => loadQueries().catch(failed));

// ------------------------------------------------------------ hot words

/** A list the API may not offer: 404, 405 and 501 mean "not here". */
async function optionalList(path) {
  try {
    return await call('GET', path);
  } catch (err) {
    if (err instanceof APIError && [404, 405, 501].includes(err.status)) return null;
    throw err;
  }
}

function wordItems(list, words, label, action) {
  list.replaceChildren(...words.map((w) => el('li', {}, el('span', { className: 'word', text: w }),
    button(label, `${label}“${w}”`, () => action(w)))));
  if (!words.length) list.replaceChildren(el('li', { className: 'empty', text: '（无）' }));
}

async function loadHot() {
  const [hot, blocked] = await Promise.all([
    call('GET', '/api/hot?limit=10').catch(() => null), optionalList('/api/admin/hot/blocked'),
  ]);
  wordItems(ui.hotNow, strings(hot && hot.hot), '屏蔽', (w) => setBlocked(w, true));
  if (blocked) wordItems(ui.blocked, strings(blocked.blocked || blocked.queries), '取消屏蔽', (w) => setBlocked(w, false));
  else ui.blocked.replaceChildren(el('li', { className: 'empty', text: '服务器未提供已屏蔽的列表；可在下面输入查询取消屏蔽。' }));
}

const strings = (v) => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : x && x.query)).filter(Boolean).map(String) : []);

/** Blocks or unblocks query; resolves to whether the server took it. */
function setBlocked(query, on) {
  return change(on ? 'PUT' : 'DELETE', `/api/admin/hot/blocked/${seg(query)}`, undefined,
    on ? `已屏蔽热搜词“${query}”。` : `已取消屏蔽“${query}”。`, loadHot);
}

ui.blockForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = ui.blockQuery.value.trim();
  if (!q) return;
  setBlocked(q, !(e.submitter && e.submitter.value === 'unblock')).then((ok) => { if (ok) ui.blockQuery.value = ''; });
});

// ------------------------------------------------------------ synonyms and pins

const splitWords = (s) => s.split(/[\s,，、;；]+/).map((w) => w.trim()).filter(Boolean);

/** [{key, values}] from either a list of objects or an object of lists. */
function entries(v, keyName, valuesName) {
  if (Array.isArray(v)) return v.map((x) => ({ key: String(x[keyName] ?? ''), values: strings(x[valuesName]) }));
  if (v && typeof v === 'object') return Object.entries(v).map(([k, vals]) => ({ key: k, values: strings(vals) }));
  return [];
}

async function loadSynonyms() {
  const d = await optionalList('/api/admin/synonyms');
  if (!d) { ui.synonyms.replaceChildren(el('p', { className: 'empty', text: '服务器未提供同义词列表。' })); return; }
  table(ui.synonyms, '同义词', [
    ['名称', (s) => s.key],
    ['同义词', (s) => s.values.join('、')],
    ['操作', (s) => el('span', { className: 'actions' },
      button('修改', `修改同义词“${s.key}”`, () => fill(ui.synForm, [ui.synName, s.key], ui.synWords, s.values.join(' '))),
      deleteButton(`删除同义词“${s.key}”`, () => change('DELETE', `/api/admin/synonyms/${seg(s.key)}`, undefined, `已删除同义词“${s.key}”。`, loadSynonyms)))],
  ], entries(d.synonyms, 'name', 'words'), '还没有同义词。');
}

ui.synForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.synName.value.trim(), words = splitWords(ui.synWords.value);
  if (!name || !words.length) return;
  change('PUT', `/api/admin/synonyms/${seg(name)}`, { words }, `已保存同义词“${name}”。`, loadSynonyms)
    .then((ok) => { if (ok) ui.synName.value = ui.synWords.value = ''; });
});

async function loadPins() {
  const d = await optionalList('/api/admin/pins');
  if (!d) { ui.pins.replaceChildren(el('p', { className: 'empty', text: '服务器未提供置顶列表。' })); return; }
  table(ui.pins, '置顶', [
    ['查询', (p) => p.key],
    ['置顶文章', (p) => p.values.join(' ')],
    ['操作', (p) => el('span', { className: 'actions' },
      button('修改', `修改“${p.key}”的置顶`, () => fill(ui.pinForm, [ui.pinQuery, p.key], ui.pinIds, p.values.join(' '))),
      deleteButton(`删除“${p.key}”的置顶`, () => change('DELETE', `/api/admin/pins/${seg(p.key)}`, undefined, `已删除“${p.key}”的置顶。`, loadPins)))],
  ], entries(d.pins, 'query', 'ids'), '还没有置顶。');
}

ui.pinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const query = ui.pinQuery.value.trim(), ids = ui.pinIds.value.split(/\s+/).filter(Boolean);
  if (!query || !ids.length) return;
  change('PUT', `/api/admin/pins/${seg(query)}`, { ids }, `已保存“${query}”的置顶。`, loadPins)
    .then((ok) => { if (ok) ui.pinQuery.value = ui.pinIds.value = ''; });
});

/**
 * Makes one change, says so, and reloads its list and the audit. Should
 * the button pressed go with the old list, focus stays in its section.
 */
async function change(method, path, body, done, reload) {
  const section = document.activeElement && document.activeElement.closest('section');
  try {
    await call(method, path, body);
  } catch (err) {
    failed(err);
    return false;
  }
  say(done);
  await Promise.all([reload(), loadAudit()]).catch(failed);
  if (section && !section.contains(document.activeElement) && !ui.panels.hidden) {
    const h = section.querySelector('h2');
    h.tabIndex = -1;
    h.focus();
  }
  return true;
}

// ------------------------------------------------------------ dictionary and audit

async function loadDictionary() {
  try {
    const d = await call('GET', '/api/admin/dictionary');
    const words = Array.isArray(d && d.words) ? d.words : [];
    table(ui.dictionary, '词典', [
      ['词', (w) => (typeof w === 'string' ? w : w.word)],
      ['词频', (w) => (w.freq ?? '')],
      ['词性', (w) => (w.tag ?? '')],
    ], words, '词典中没有另加的词。');
  } catch (err) {
    if (!(err instanceof APIError) || err.status !== 501) throw err;
    ui.dictionary.replaceChildren(el('p', { className: 'empty' }, '暂不支持在线修改词典：', err.message));
  }
}

async function loadAudit() {
  const d = await call('GET', `/api/admin/audit?limit=${AUDIT_ROWS}`);
  const when = (a) => Date.parse(a.time) || 0;
  const rows = [...((d && d.audit) || [])].sort((a, b) => when(b) - when(a)).slice(0, AUDIT_ROWS);
  table(ui.audit, '操作记录', [
    ['时间', (a) => fmtTime(a.time)],
    ['密钥', (a) => a.key ?? a.label ?? ''],
    ['操作', (a) => a.action],
    ['对象', (a) => a.target ?? ''],
    ['修改前', (a) => fmtValue(a.before)],
    ['修改后', (a) => fmtValue(a.after)],
  ], rows, '还没有管理操作。');
}

// ------------------------------------------------------------ start

async function loadAll() {
  say('正在加载…');
  try {
    await loadQueries(); // first: a refused key stops here
    await Promise.all([loadHot(), loadSynonyms(), loadPins(), loadDictionary(), loadAudit()]);
    say('');
  } catch (err) {
    failed(err);
  }
}

if (keyStore.get()) {
  showPanels();
  loadAll();
} else {
  showKeyForm();
}
