// Search page for 政务新闻检索. No dependencies, no build step.
//
// The URL is the single source of truth for what the page shows
// (q, district, topic, year — repeatable —, page, size, sort, article), so
// back/forward, reload and shared links all work.
//
// Safety rule: data from the API reaches the DOM only as text (textContent,
// text nodes, createElement). Snippets are rebuilt from their <mark> tags by
// rebuildSnippet, never assigned with innerHTML.
(() => {
  'use strict';

  const FACETS = [
    { key: 'district', label: '区' },
    { key: 'topic', label: '主题' },
    { key: 'year', label: '年份' },
  ];
  const SEARCH_DELAY = 300; // ms of typing quiet before a live search
  const SUGGEST_DELAY = 120; // ms before asking for suggestions
  const PAGER_SPAN = 2; // page links shown either side of the current one
  const MAX_TOPICS = 3; // topic tags shown per hit

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
    sortButtons: document.querySelectorAll('[data-sort]'),
  };
  const baseTitle = document.title;

  // ---------------------------------------------------------------- helpers

  /** el('p', {className: 'x', text: 'hi'}, child…) builds an element safely. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'className') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#34;': '"', '&#39;': "'" };
  /** Decodes only the entities that HTML escaping produces (Go writes &#34; for a quote). */
  const unescapeText = (s) => s.replace(/&(?:lt|gt|amp|quot|#34|#39);/g, (m) => ENTITIES[m]);

  /**
   * Rebuilds an API snippet (escaped text with literal <mark>…</mark>) into
   * `parent` as text nodes and <mark> elements. Any other markup stays text.
   */
  function rebuildSnippet(parent, snippet) {
    let target = parent;
    for (const part of String(snippet || '').split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') {
        if (target === parent) target = parent.appendChild(document.createElement('mark'));
      } else if (part === '</mark>') {
        target = parent;
      } else if (part) {
        target.append(unescapeText(part));
      }
    }
  }

  /** Appends `text` to `parent`, wrapping literal occurrences of terms in <mark>. */
  function appendHighlighted(parent, text, terms) {
    if (!terms.length) { parent.append(text); return; }
    const re = new RegExp('(' + terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') + ')', 'g');
    text.split(re).forEach((part, i) => {
      if (!part) return;
      parent.append(i % 2 ? el('mark', { text: part }) : part);
    });
  }

  const posInt = (s, def) => {
    const n = Number.parseInt(s, 10);
    return Number.isFinite(n) && n > 0 ? n : def;
  };

  /** True for a plain left click that should be handled in-page. */
  const isPlainClick = (e) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

  const yearLabel = (v) => (String(v) === '0' ? '年份不详' : v + ' 年');

  // ------------------------------------------------------------ URL state

  function readState() {
    const p = new URLSearchParams(location.search);
    const s = {
      q: (p.get('q') || '').trim(),
      sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      page: posInt(p.get('page'), 1),
      size: posInt(p.get('size'), 0), // 0: the API's default
      article: p.get('article') || '',
    };
    for (const f of FACETS) s[f.key] = [...new Set(p.getAll(f.key).filter(Boolean))];
    return s;
  }

  /** Query parameters for the API (no article, no defaults). */
  function searchParams(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    for (const f of FACETS) for (const v of s[f.key]) p.append(f.key, v);
    if (s.sort === 'date') p.set('sort', 'date');
    if (s.page > 1) p.set('page', String(s.page));
    if (s.size) p.set('size', String(s.size));
    return p;
  }

  function urlFor(s) {
    const p = searchParams(s);
    if (s.article) p.set('article', s.article);
    const qs = p.toString();
    return location.pathname + (qs ? '?' + qs : '');
  }

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

  const withChanges = (changes) => ({ ...state, page: 1, article: '', ...changes });

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
    updateControls();
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
      renderResults(data);
    } catch (err) {
      if (err.name === 'AbortError' || ctl !== searchCtl) return;
      lastSearchKey = null;
      renderError(err);
    } finally {
      if (ctl === searchCtl) {
        ui.results.removeAttribute('aria-busy');
        document.body.classList.remove('loading');
      }
    }
  }

  /** Parses a JSON response; throws an Error with the API's message on failure. */
  async function readJSON(res) {
    let data = null;
    try { data = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok || !data) {
      const msg = data && data.error && data.error.message;
      const err = new Error(msg || `服务器返回错误（HTTP ${res.status}）`);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function renderError(err) {
    ui.results.replaceChildren();
    ui.pager.hidden = true;
    ui.dym.hidden = ui.relaxed.hidden = true;
    ui.status.textContent = err.status ? `搜索失败：${err.message}` : '无法连接搜索服务，请稍后再试。';
  }

  function renderResults(data) {
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
      ui.dymLink.href = urlFor(withChanges({ q: dym }));
    }
    ui.relaxed.hidden = !data.relaxed;

    ui.results.replaceChildren(...hits.map(renderHit));
    ui.results.start = (Math.max(1, data.page || state.page) - 1) * size + 1;
    renderFacets(data.facets || {});
    renderPager(data.page || state.page, pages);
  }

  function renderHit(hit) {
    const link = el('a', { href: urlFor({ ...state, article: hit.id }), dataset: { id: hit.id } },
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
    rebuildSnippet(snippet, hit.snippet);
    return el('li', { className: 'hit' }, el('h2', {}, link), meta, snippet);
  }

  function renderFacets(facets) {
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

  function renderPager(page, pages) {
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
  function updateControls() {
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
    ui.active.hidden = !chips.length;
    ui.activeList.replaceChildren(...chips);
    ui.clearAll.href = urlFor({ ...state, district: [], topic: [], year: [], page: 1, article: '' });
    ui.filterCount.textContent = chips.length ? `（已选 ${chips.length}）` : '';
  }

  // ---------------------------------------------------------------- article

  let articleCtl = null;

  async function loadArticle(id) {
    if (id === lastArticleId) { focusArticle(); return; }
    if (articleCtl) articleCtl.abort();
    const ctl = (articleCtl = new AbortController());
    ui.articleTitle.textContent = '正在加载…';
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
      renderArticle(a);
    } catch (err) {
      if (err.name === 'AbortError' || ctl !== articleCtl) return;
      lastArticleId = null;
      ui.articleTitle.textContent = err.status === 404 ? '找不到这篇文章' : '文章加载失败';
      ui.articleBody.replaceChildren(el('p', { text: err.status === 404 ? '它可能已从索引中删除。' : err.message }));
    }
    focusArticle();
  }

  function renderArticle(a) {
    const terms = state.q.split(/\s+/).filter(Boolean);
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

  function focusArticle() {
    if (!ui.articleView.hidden) ui.articleTitle.focus();
  }

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
    const btn = e.target.closest('button[data-facet]');
    if (!btn) return;
    const { facet, value } = btn.dataset;
    const cur = state[facet];
    const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
    navigate(withChanges({ [facet]: next }));
    if (btn.classList.contains('chip')) ui.resultsHeading.focus();
  });

  for (const b of ui.sortButtons) {
    b.addEventListener('click', () => {
      if (state.sort !== b.dataset.sort) navigate(withChanges({ sort: b.dataset.sort }));
    });
  }

  // In-page links (hits, pager, did-you-mean, clear filters): no reload.
  ui.results.addEventListener('click', (e) => {
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
    navigate(withChanges(changes()));
  };
  ui.dymLink.addEventListener('click', (e) => followLink(e, () => {
    ui.q.value = ui.dymLink.textContent;
    return { q: ui.dymLink.textContent };
  }));
  ui.clearAll.addEventListener('click', (e) => {
    followLink(e, () => ({ district: [], topic: [], year: [] }));
    ui.resultsHeading.focus();
  });
  ui.home.addEventListener('click', (e) => {
    followLink(e, () => ({ q: '', district: [], topic: [], year: [], sort: 'relevance', size: 0 }));
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
    }
  });

  // ------------------------------------------------ typing, IME, suggestions

  // While a Chinese input method composes (拼音 → 汉字) the box holds
  // unfinished text: no search and no suggestion fires until it ends.
  let composing = false;
  let imeEnter = false; // the Enter key that confirmed an IME candidate
  let searchTimer = 0;
  let suggestTimer = 0;

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
    suggestTimer = setTimeout(() => loadSuggestions(ui.q.value.trim()), SUGGEST_DELAY);
  }

  function liveSearch() {
    if (composing) return;
    const q = ui.q.value.trim();
    if (q !== state.q || state.article) navigate(withChanges({ q }), { live: true });
  }

  function submitSearch() {
    clearTimeout(searchTimer);
    clearTimeout(suggestTimer);
    closeSuggestions();
    // Submitting what live typing already shows just commits that entry.
    const replace = Boolean(history.state && history.state.live);
    navigate(withChanges({ q: ui.q.value.trim() }), { replace });
  }

  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (composing || imeEnter) { imeEnter = false; return; }
    submitSearch();
  });

  // Suggestions: a combobox with a listbox (WAI-ARIA 1.2 pattern).
  let suggestCtl = null;
  let suggestOff = false; // set once the endpoint is missing: degrade silently
  let suggestions = [];
  let activeSuggestion = -1;

  async function loadSuggestions(prefix) {
    if (suggestOff || composing || !prefix) { closeSuggestions(); return; }
    if (suggestCtl) suggestCtl.abort();
    const ctl = (suggestCtl = new AbortController());
    try {
      const res = await fetch('/api/suggest?q=' + encodeURIComponent(prefix), {
        signal: ctl.signal, headers: { Accept: 'application/json' },
      });
      if (res.status === 404 || res.status === 501) { suggestOff = true; closeSuggestions(); return; }
      if (!res.ok) { closeSuggestions(); return; }
      const data = await res.json();
      if (ctl !== suggestCtl || composing || ui.q.value.trim() !== prefix) return;
      const list = Array.isArray(data && data.suggestions) ? data.suggestions : [];
      showSuggestions(list.map(String).filter((s) => s && s !== prefix).slice(0, 8));
    } catch (_) {
      if (ctl === suggestCtl) closeSuggestions();
    }
  }

  function showSuggestions(list) {
    suggestions = list;
    activeSuggestion = -1;
    ui.q.removeAttribute('aria-activedescendant');
    if (!list.length || document.activeElement !== ui.q) { closeSuggestions(); return; }
    ui.suggest.replaceChildren(...list.map((s, i) =>
      el('li', { id: `suggest-${i}`, role: 'option', 'aria-selected': 'false', dataset: { i } }, s)));
    ui.suggest.hidden = false;
    ui.q.setAttribute('aria-expanded', 'true');
  }

  function closeSuggestions() {
    suggestions = [];
    activeSuggestion = -1;
    ui.suggest.hidden = true;
    ui.suggest.replaceChildren();
    ui.q.setAttribute('aria-expanded', 'false');
    ui.q.removeAttribute('aria-activedescendant');
  }

  function highlightSuggestion(i) {
    activeSuggestion = i;
    ui.suggest.querySelectorAll('[role=option]').forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) ui.q.setAttribute('aria-activedescendant', `suggest-${i}`);
    else ui.q.removeAttribute('aria-activedescendant');
  }

  function chooseSuggestion(i) {
    ui.q.value = suggestions[i];
    submitSearch();
  }

  ui.q.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) { imeEnter = true; return; }
    imeEnter = false;
    if (e.isComposing) return;
    const open = !ui.suggest.hidden && suggestions.length > 0;
    if (e.key === 'ArrowDown' && open) {
      e.preventDefault();
      highlightSuggestion((activeSuggestion + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      highlightSuggestion(activeSuggestion <= 0 ? suggestions.length - 1 : activeSuggestion - 1);
    } else if (e.key === 'Enter' && open && activeSuggestion >= 0) {
      e.preventDefault();
      chooseSuggestion(activeSuggestion);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      closeSuggestions();
    }
  });
  ui.q.addEventListener('keyup', () => { imeEnter = false; });
  ui.q.addEventListener('blur', () => setTimeout(closeSuggestions, 0));
  // mousedown (not click) so the input keeps focus while choosing.
  ui.suggest.addEventListener('mousedown', (e) => {
    const li = e.target.closest('[role=option]');
    if (!li) return;
    e.preventDefault();
    chooseSuggestion(Number(li.dataset.i));
  });

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
})();
