// Rendering of the search page: results, facets, pager, filter chips and
// the article view. Each function draws from the state and the API's answer
// into the page's elements (ui); none keeps anything between calls.

import { el, appendHighlighted, queryTerms, yearLabel } from './dom.js';
import { renderSnippet } from './snippet.js';
import { FACETS, urlFor, withChanges } from './state.js';

const PAGER_SPAN = 2; // page links shown either side of the current one
const MAX_TOPICS = 3; // topic tags shown per hit

export function renderError(ui, err) {
  ui.results.replaceChildren();
  ui.pager.hidden = true;
  ui.dym.hidden = ui.relaxed.hidden = true;
  ui.status.textContent = err.status ? `搜索失败：${err.message}` : '无法连接搜索服务，请稍后再试。';
}

export function renderResults(ui, state, data) {
  const hits = data.hits || [];
  const total = data.total || 0;
  const size = data.size || hits.length || 10;
  const pages = Math.max(1, Math.ceil(total / size));

  // Status line, announced by screen readers (role=status, aria-live).
  let msg;
  if (total === 0) msg = state.q ? `没有找到与“${state.q}”相关的结果。` : '没有符合条件的文章。';
  else if (!hits.length) msg = `共 ${total} 条结果，第 ${state.page} 页没有内容。`;
  else {
    // Without a query the API lists articles newest first.
    msg = state.q ? `共 ${total} 条结果` : `共 ${total} 篇文章，按日期从新到旧`;
    if (pages > 1) msg += `，第 ${data.page || state.page}/${pages} 页`;
    if (typeof data.took_ms === 'number') msg += `（用时 ${data.took_ms.toFixed(1)} 毫秒）`;
  }
  ui.status.textContent = msg;

  // did_you_mean as a link; relaxed-match notice.
  const dym = data.did_you_mean;
  ui.dym.hidden = !dym || dym === state.q;
  if (!ui.dym.hidden) {
    ui.dymLink.textContent = dym;
    ui.dymLink.href = urlFor(withChanges(state, { q: dym }));
  }
  ui.relaxed.hidden = !data.relaxed;

  const start = (Math.max(1, data.page || state.page) - 1) * size + 1;
  ui.results.replaceChildren(...hits.map((hit, i) => renderHit(state, hit, start + i)));
  ui.results.start = start;
  ui.results.dataset.q = state.q; // the query these hits answer
  renderFacets(ui, state, data.facets || {});
  renderPager(ui, state, data.page || state.page, pages);
}

function renderHit(state, hit, rank) {
  const link = el('a', { href: urlFor({ ...state, article: hit.id }), dataset: { id: hit.id, rank } },
    hit.title || '（无标题）');
  const meta = el('p', { className: 'meta' });
  meta.append(hit.date ? el('time', { datetime: hit.date, text: hit.date })
    : el('span', { text: hit.year ? hit.year + ' 年' : '日期不详' }));
  if (hit.districts && hit.districts.length) {
    meta.append(el('span', { className: 'districts', text: hit.districts.join('、') }));
  }
  // Topics come strongest first; a long tail would crowd the line.
  const topics = hit.topics || [];
  for (const t of topics.slice(0, MAX_TOPICS)) meta.append(el('span', { className: 'tag', text: t }));
  if (topics.length > MAX_TOPICS) {
    const rest = topics.slice(MAX_TOPICS);
    meta.append(el('span', { className: 'more', title: rest.join('、') },
      `+${rest.length}`, el('span', { className: 'vh', text: ` 个主题：${rest.join('、')}` })));
  }
  const snippet = el('p', { className: 'snippet' });
  renderSnippet(snippet, hit.snippet);
  return el('li', { className: 'hit' }, el('h2', {}, link), meta, snippet);
}

function renderFacets(ui, state, facets) {
  const groups = FACETS.map((f) => {
    const selected = state[f.key];
    let values = (facets[f.key] || []).map((b) => ({ value: String(b.value), count: b.count }));
    // Keep selected values visible (count 0) so they can always be cleared.
    for (const v of selected) if (!values.some((b) => b.value === v)) values.push({ value: v, count: 0 });
    if (f.key === 'year') values.sort((a, b) => Number(b.value) - Number(a.value));
    if (!values.length) return null;

    const headingId = `facet-${f.key}`;
    const list = el('ul', { 'aria-labelledby': headingId });
    for (const b of values) {
      const on = selected.includes(b.value);
      const btn = el('button', {
        type: 'button', className: 'facet-value', 'aria-pressed': String(on),
        dataset: { facet: f.key, value: b.value },
      },
      el('span', { className: 'v', text: f.key === 'year' ? yearLabel(b.value) : b.value }),
      el('span', { className: 'n', text: String(b.count) }),
      el('span', { className: 'vh', text: ' 条' }));
      list.append(el('li', {}, btn));
    }
    return el('section', { className: 'facet' }, el('h2', { id: headingId, text: f.label }), list);
  }).filter(Boolean);

  // Keep keyboard focus on the same facet button across re-renders.
  const focused = document.activeElement && document.activeElement.dataset;
  const refocus = focused && focused.facet ? [focused.facet, focused.value] : null;
  ui.facets.replaceChildren(...groups);
  if (refocus) {
    const again = [...ui.facets.querySelectorAll('button[data-facet]')]
      .find((b) => b.dataset.facet === refocus[0] && b.dataset.value === refocus[1]);
    if (again) again.focus();
  }
}

function renderPager(ui, state, page, pages) {
  ui.pager.hidden = pages <= 1;
  if (pages <= 1) { ui.pager.replaceChildren(); return; }
  const items = [];
  const link = (n, text, label, rel) => {
    const a = el('a', { href: urlFor({ ...state, page: n, article: '' }), dataset: { page: n }, 'aria-label': label, rel });
    a.textContent = text;
    return a;
  };
  if (page > 1) items.push(link(page - 1, '‹ 上一页', null, 'prev'));
  let last = 0;
  for (let n = 1; n <= pages; n++) {
    if (n !== 1 && n !== pages && Math.abs(n - page) > PAGER_SPAN) continue;
    if (n - last > 1) items.push(el('span', { className: 'gap', 'aria-hidden': 'true', text: '…' }));
    if (n === page) items.push(el('span', { 'aria-current': 'page', className: 'current', text: String(n) }));
    else items.push(link(n, String(n), `第 ${n} 页`));
    last = n;
  }
  if (page < pages) items.push(link(page + 1, '下一页 ›', null, 'next'));
  ui.pager.replaceChildren(el('ul', {}, ...items.map((i) => el('li', {}, i))));
}

/** Controls that depend on the state alone: sort toggle, chips, filter count. */
export function updateControls(ui, state) {
  for (const b of ui.sortButtons) b.setAttribute('aria-pressed', String(b.dataset.sort === state.sort));
  const chips = [];
  for (const f of FACETS) {
    for (const v of state[f.key]) {
      const label = f.key === 'year' ? yearLabel(v) : v;
      chips.push(el('li', {}, el('button', {
        type: 'button', className: 'chip', dataset: { facet: f.key, value: v },
        'aria-label': `取消筛选：${f.label} ${label}`,
      }, label, el('span', { 'aria-hidden': 'true', text: ' ×' }))));
    }
  }
  if (state.from || state.to) {
    const label = `${state.from || '…'} 至 ${state.to || '…'}`;
    chips.push(el('li', {}, el('button', {
      type: 'button', className: 'chip', dataset: { dates: 'clear' },
      'aria-label': `取消筛选：发布日期 ${label}`,
    }, label, el('span', { 'aria-hidden': 'true', text: ' ×' }))));
  }
  ui.active.hidden = !chips.length;
  ui.activeList.replaceChildren(...chips);
  ui.clearAll.href = urlFor({ ...state, district: [], topic: [], year: [], from: '', to: '', page: 1, article: '' });
  ui.filterCount.textContent = chips.length ? `（已选 ${chips.length}）` : '';
}

/** The article view; the query's words are marked in the body. */
export function renderArticle(ui, state, a, baseTitle) {
  const terms = queryTerms(state.q);
  ui.articleTitle.textContent = a.title || '（无标题）';
  document.title = `${a.title || '文章'} - ${baseTitle}`;
  const meta = [];
  if (a.date) meta.push(el('time', { datetime: a.date, text: a.date }));
  else meta.push(el('span', { text: a.year ? a.year + ' 年' : '日期不详' }));
  if (a.districts && a.districts.length) meta.push(el('span', { className: 'districts', text: a.districts.join('、') }));
  for (const t of a.topics || []) meta.push(el('span', { className: 'tag', text: t }));
  ui.articleMeta.replaceChildren(...meta);

  const paras = String(a.body || '').split(/\n+/).map((s) => s.trim()).filter(Boolean);
  ui.articleBody.replaceChildren(...paras.map((text) => {
    const p = el('p');
    appendHighlighted(p, text, terms);
    return p;
  }));

  const src = [];
  if (a.source) src.push('来源文件：', el('span', { text: a.source }));
  // Only http(s) links: a javascript: URL from the data must never be a link.
  if (a.url && /^https?:\/\//i.test(a.url)) {
    src.push(src.length ? '　' : '', el('a', { href: a.url, rel: 'noopener noreferrer', text: '原文链接' }));
  }
  ui.articleSource.replaceChildren(...src);
}
