// Search page for 政务新闻检索: an ES module, no dependencies, no build step.
// This module wires the page: the URL state (state.js), searching and
// loading articles, events, typing and input methods; rendering is in
// render.js, suggestions in suggest.js, and snippets are rebuilt by the
// renderer shared with the widget (snippet.js).
//
// Safety rule: data from the API reaches the DOM only as text (textContent,
// text nodes, createElement). Snippets are rebuilt from their <mark> tags by
// renderSnippet, never assigned with innerHTML.

import { setupAdvanced } from './advanced.js';
import { el, isPlainClick, readJSON } from './dom.js';
import { reportOpen } from './events.js';
import { loadHot } from './hot.js';
import { renderArticle, renderError, renderResults, updateControls } from './render.js';
import { readState, searchParams, urlFor, withChanges } from './state.js';
import { Suggestions } from './suggest.js';

const SEARCH_DELAY = 300; // ms of typing quiet before a live search
const SUGGEST_DELAY = 120; // ms before asking for suggestions

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('search-form'), q: $('q'), suggest: $('suggest'), home: $('home'),
  searchView: $('search-view'), filters: $('filters'), filterCount: $('filter-count'),
  facets: $('facets'), status: $('status'), resultsHeading: $('results-heading'),
  results: $('results'), pager: $('pager'), active: $('active'),
  activeList: $('active-list'), clearAll: $('clear-all'), dym: $('dym'),
  dymLink: $('dym-link'), relaxed: $('relaxed'),
  articleView: $('article-view'), articleBack: $('article-back'),
  articleTitle: $('article-title'), articleMeta: $('article-meta'),
  articleBody: $('article-body'), articleSource: $('article-source'),
  matches: $('article-matches'), matchPrev: $('match-prev'), matchNext: $('match-next'),
  matchStatus: $('match-status'), advanced: $('advanced'), advancedForm: $('advanced-form'),
  hot: $('hot'), hotList: $('hot-list'),
  sortButtons: document.querySelectorAll('[data-sort]'),
};
const baseTitle = document.title;

// ------------------------------------------------------------ URL state

let state = readState();

/**
 * Moves to a new state. `live` marks entries made by typing: consecutive
 * live searches replace one history entry instead of piling up.
 */
function navigate(next, { live = false, replace = false } = {}) {
  const url = urlFor(next);
  const current = location.pathname + location.search;
  const wasLive = history.state && history.state.live;
  if (url !== current) {
    if (replace || (live && wasLive)) history.replaceState({ live }, '', url);
    else history.pushState({ live }, '', url);
  } else if (wasLive && !live) {
    history.replaceState({ live: false }, '', url);
  }
  state = next;
  render();
}

window.addEventListener('popstate', () => {
  const wasArticle = Boolean(state.article);
  state = readState();
  if (!composing) ui.q.value = state.q;
  render();
  if (wasArticle && !state.article) restoreFocusToHit();
});

// ---------------------------------------------------------------- render

let lastSearchKey = null; // API query of the results on screen
let lastArticleId = null; // id of the article on screen

function render() {
  const showArticle = Boolean(state.article);
  ui.articleView.hidden = !showArticle;
  ui.searchView.hidden = showArticle;
  if (showArticle) {
    loadArticle(state.article);
  } else {
    document.title = state.q ? `${state.q} - ${baseTitle}` : baseTitle;
  }
  // Results load behind an open article too, so "back" shows them at once.
  runSearch();
}

// ---------------------------------------------------------------- search

let searchCtl = null;

async function runSearch() {
  const params = searchParams(state);
  const key = params.toString();
  updateControls(ui, state);
  if (key === lastSearchKey) return;
  if (searchCtl) searchCtl.abort();
  const ctl = (searchCtl = new AbortController());
  ui.results.setAttribute('aria-busy', 'true');
  document.body.classList.add('loading');
  try {
    const res = await fetch('/api/search?' + key, {
      signal: ctl.signal,
      headers: { Accept: 'application/json' },
    });
    const data = await readJSON(res);
    if (ctl !== searchCtl) return;
    lastSearchKey = key;
    renderResults(ui, state, data);
  } catch (err) {
    if (err.name === 'AbortError' || ctl !== searchCtl) return;
    lastSearchKey = null;
    renderError(ui, err);
  } finally {
    if (ctl === searchCtl) {
      ui.results.removeAttribute('aria-busy');
      document.body.classList.remove('loading');
    }
  }
}

// ---------------------------------------------------------------- article

let articleCtl = null;

async function loadArticle(id) {
  if (id === lastArticleId) { focusArticle(); return; }
  if (articleCtl) articleCtl.abort();
  const ctl = (articleCtl = new AbortController());
  ui.articleTitle.textContent = '正在加载…';
  ui.matches.hidden = true;
  ui.articleMeta.replaceChildren();
  ui.articleBody.replaceChildren();
  ui.articleSource.replaceChildren();
  try {
    const res = await fetch('/api/articles/' + encodeURIComponent(id), {
      signal: ctl.signal, headers: { Accept: 'application/json' },
    });
    const a = await readJSON(res);
    if (ctl !== articleCtl) return;
    lastArticleId = id;
    renderArticle(ui, state, a, baseTitle);
    setupMatches();
    focusArticle();
    showMatch(0);
    return;
  } catch (err) {
    if (err.name === 'AbortError' || ctl !== articleCtl) return;
    lastArticleId = null;
    ui.articleTitle.textContent = err.status === 404 ? '找不到这篇文章' : '文章加载失败';
    ui.articleBody.replaceChildren(el('p', { text: err.status === 404 ? '它可能已从索引中删除。' : err.message }));
  }
  focusArticle();
}

function focusArticle() {
  if (!ui.articleView.hidden) ui.articleTitle.focus({ preventScroll: matchCount() > 0 });
}

// ------------------------------------------------------ matches in an article

// A long article (a work report runs to 30,000 characters) opens at its
// first match; the reader moves between matches with the buttons or the
// N / Shift+N keys, and the status says 第 n / N 处.
let matchIndex = 0;

const matchMarks = () => ui.articleBody.querySelectorAll('mark');
const matchCount = () => (ui.articleView.hidden ? 0 : matchMarks().length);

function setupMatches() {
  matchIndex = 0;
  const n = matchMarks().length;
  ui.matches.hidden = n === 0;
  ui.matchPrev.disabled = ui.matchNext.disabled = n < 2;
}

/** Marks match i as the current one and scrolls it into view. */
function showMatch(i) {
  const marks = matchMarks();
  if (!marks.length) { ui.matchStatus.textContent = ''; return; }
  matchIndex = ((i % marks.length) + marks.length) % marks.length;
  marks.forEach((m, j) => {
    m.classList.toggle('current', j === matchIndex);
    if (j === matchIndex) m.setAttribute('aria-current', 'true');
    else m.removeAttribute('aria-current');
  });
  ui.matchStatus.textContent = `第 ${matchIndex + 1} / ${marks.length} 处`;
  marks[matchIndex].scrollIntoView({ block: 'center' });
}

function stepMatch(d) { showMatch(matchIndex + d); }

ui.matchPrev.addEventListener('click', () => stepMatch(-1));
ui.matchNext.addEventListener('click', () => stepMatch(1));

/** After closing an article, put focus back on the hit that opened it. */
function restoreFocusToHit() {
  const id = lastArticleId;
  const link = [...ui.results.querySelectorAll('a[data-id]')].find((a) => a.dataset.id === id);
  if (link) link.focus();
  else ui.resultsHeading.focus();
}

function closeArticle() {
  if (history.state && history.state.fromResults) history.back();
  else {
    navigate({ ...state, article: '' });
    restoreFocusToHit();
  }
}

// ---------------------------------------------------------------- events

// Facet values and filter chips: click toggles the value.
document.addEventListener('click', (e) => {
  const dates = e.target.closest('button[data-dates]');
  if (dates) {
    navigate(withChanges(state, { from: '', to: '' }));
    ui.resultsHeading.focus();
    return;
  }
  const btn = e.target.closest('button[data-facet]');
  if (!btn) return;
  const { facet, value } = btn.dataset;
  const cur = state[facet];
  const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
  navigate(withChanges(state, { [facet]: next }));
  if (btn.classList.contains('chip')) ui.resultsHeading.focus();
});

for (const b of ui.sortButtons) {
  b.addEventListener('click', () => {
    if (state.sort !== b.dataset.sort) navigate(withChanges(state, { sort: b.dataset.sort }));
  });
}

// Opening a hit, here or in a new tab, is reported (events.js).
const reportHit = (e) => {
  const a = e.target.closest('a[data-id]');
  if (a && (e.type === 'click' || e.button === 1)) reportOpen(ui.results.dataset.q || '', a.dataset.id, Number(a.dataset.rank));
};
ui.results.addEventListener('auxclick', reportHit);

// In-page links (hits, pager, did-you-mean, clear filters): no reload.
ui.results.addEventListener('click', (e) => {
  reportHit(e);
  const a = e.target.closest('a[data-id]');
  if (!a || !isPlainClick(e)) return;
  e.preventDefault();
  state = { ...state, article: a.dataset.id };
  history.pushState({ fromResults: true }, '', urlFor(state));
  render();
});

ui.pager.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-page]');
  if (!a || !isPlainClick(e)) return;
  e.preventDefault();
  navigate({ ...state, page: Number(a.dataset.page), article: '' });
  ui.resultsHeading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});

const followLink = (e, changes) => {
  if (!isPlainClick(e)) return;
  e.preventDefault();
  navigate(withChanges(state, changes()));
};
ui.dymLink.addEventListener('click', (e) => followLink(e, () => {
  ui.q.value = ui.dymLink.textContent;
  return { q: ui.dymLink.textContent };
}));
ui.clearAll.addEventListener('click', (e) => {
  followLink(e, () => ({ district: [], topic: [], year: [], from: '', to: '' }));
  ui.resultsHeading.focus();
});
ui.hotList.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-hot]');
  if (!a) return;
  // A hot word is a new search: the filters of the last one are dropped.
  followLink(e, () => {
    ui.q.value = a.dataset.hot;
    return { q: a.dataset.hot, district: [], topic: [], year: [], from: '', to: '' };
  });
});
ui.home.addEventListener('click', (e) => {
  followLink(e, () => ({ q: '', district: [], topic: [], year: [], from: '', to: '', sort: 'relevance', size: 0 }));
  ui.q.value = '';
});
ui.articleBack.addEventListener('click', (e) => {
  if (!isPlainClick(e)) return;
  e.preventDefault();
  closeArticle();
});

// Keyboard: "/" focuses the box; Escape leaves an open article.
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  if (e.key === '/' && !typing) {
    e.preventDefault();
    ui.q.focus();
    ui.q.select();
  } else if (e.key === 'Escape' && state.article && !typing) {
    closeArticle();
  } else if ((e.key === 'n' || e.key === 'N') && state.article && !typing && matchCount() > 0) {
    e.preventDefault();
    stepMatch(e.key === 'N' ? -1 : 1);
  }
});

// The 高级搜索 form builds the box's syntax: the query lands in the box,
// where it can be read and changed.
setupAdvanced(ui.advancedForm, ({ q, from, to }) => {
  ui.q.value = q;
  navigate(withChanges(state, { q, from, to }));
});

// ------------------------------------------------ typing, IME, suggestions

// While a Chinese input method composes (拼音 → 汉字) the box holds
// unfinished text: no search and no suggestion fires until it ends.
let composing = false;
let imeEnter = false; // the Enter key that confirmed an IME candidate
let searchTimer = 0;
let suggestTimer = 0;

const suggestions = new Suggestions(ui, () => composing, () => submitSearch());

ui.q.addEventListener('compositionstart', () => {
  composing = true;
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
});
ui.q.addEventListener('compositionend', () => {
  composing = false;
  scheduleTyping();
});
ui.q.addEventListener('input', (e) => {
  if (composing || e.isComposing) return;
  scheduleTyping();
});

function scheduleTyping() {
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
  searchTimer = setTimeout(liveSearch, SEARCH_DELAY);
  suggestTimer = setTimeout(() => suggestions.load(ui.q.value.trim()), SUGGEST_DELAY);
}

function liveSearch() {
  if (composing) return;
  const q = ui.q.value.trim();
  if (q !== state.q || state.article) navigate(withChanges(state, { q }), { live: true });
}

function submitSearch() {
  clearTimeout(searchTimer);
  clearTimeout(suggestTimer);
  suggestions.close();
  // Submitting what live typing already shows just commits that entry.
  const replace = Boolean(history.state && history.state.live);
  navigate(withChanges(state, { q: ui.q.value.trim() }), { replace });
}

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (composing || imeEnter) { imeEnter = false; return; }
  submitSearch();
});

ui.q.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) { imeEnter = true; return; }
  imeEnter = false;
  if (e.isComposing) return;
  suggestions.keydown(e);
});
ui.q.addEventListener('keyup', () => { imeEnter = false; });

// ---------------------------------------------------- responsive filters

// On phones the facet lists fold into a closed <details>; on wider
// screens they are always open (CSS hides the summary there).
const narrow = window.matchMedia('(max-width: 47.99em)');
const fitFilters = () => { ui.filters.open = !narrow.matches; };
narrow.addEventListener('change', fitFilters);
fitFilters();

// ---------------------------------------------------------------- start

ui.q.value = state.q;
history.replaceState({ live: false }, '', location.href);
render();
loadHot(ui.hot, ui.hotList, (w) => '/?' + new URLSearchParams({ q: w }));
