/*
 * <bulletin-search> — embeddable search box for 政务新闻检索.
 *
 *   <script src="http://SEARCH-HOST/embed.js"></script>
 *   <bulletin-search placeholder="搜索政务新闻" size="5"></bulletin-search>
 *
 * Attributes: endpoint (API origin; default: where this script came from),
 * placeholder, size (results per page, 1–50).
 * Theming: CSS custom properties on the element (--bs-accent, --bs-fg,
 * --bs-bg, --bs-muted, --bs-line, --bs-mark, --bs-radius, --bs-font) and
 * ::part(form|input|button|hot|status|facets|facet|facet-value|results|
 * hit|title|meta|snippet|pager).
 * Everything renders in an open shadow root; API data reaches the DOM only
 * as text. No dependencies.
 */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('bulletin-search')) return;

  // Only readable while this script first runs.
  let scriptOrigin = location.origin;
  try { scriptOrigin = new URL(document.currentScript.src).origin; } catch (_) { /* inline or module */ }

  const FACETS = [['district', '区'], ['topic', '主题'], ['year', '年份']];

  const CSS = `
:host{all:initial;display:block;contain:content;font-family:var(--bs-font,system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif);font-size:15px;line-height:1.6;color:var(--bs-fg,#1f2328);background:var(--bs-bg,transparent)}
:host([hidden]){display:none}
*{box-sizing:border-box}
[hidden]{display:none!important}
form{display:flex;gap:6px}
input{flex:1;min-width:0;font:inherit;padding:6px 10px;color:var(--bs-fg,#1f2328);background:var(--bs-input-bg,#fff);border:1px solid var(--bs-muted,#59636e);border-radius:var(--bs-radius,6px)}
button{font:inherit;color:inherit;cursor:pointer}
form button{padding:6px 14px;border:0;border-radius:var(--bs-radius,6px);background:var(--bs-accent,#b3261e);color:#fff;font-weight:600}
:focus-visible{outline:2px solid var(--bs-accent,#b3261e);outline-offset:2px}
.status{margin:8px 0 0;color:var(--bs-muted,#59636e);font-size:13px}
.facets{margin-top:6px}
.facet{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px;margin:4px 0}
.facet b{font-weight:600;font-size:13px;color:var(--bs-muted,#59636e);margin-right:2px}
.facet button{padding:0 8px;font-size:13px;border:1px solid var(--bs-line,#d8dee4);border-radius:999px;background:transparent}
.facet button[aria-pressed=true]{background:var(--bs-accent,#b3261e);border-color:var(--bs-accent,#b3261e);color:#fff}
.facet small{opacity:.75;margin-left:3px}
ol{list-style:none;margin:4px 0 0;padding:0}
li{padding:8px 0;border-bottom:1px solid var(--bs-line,#d8dee4)}
a{color:var(--bs-link,#0b57d0);font-weight:600;text-decoration:none}
a:hover{text-decoration:underline}
.meta{margin:2px 0;color:var(--bs-muted,#59636e);font-size:12px}
p{margin:0}
.snippet{overflow-wrap:anywhere}
mark{background:var(--bs-mark,#fff1a8);color:inherit}
.pager{display:flex;gap:8px;align-items:center;margin-top:8px;font-size:13px}
.pager button,.dym button,.hot button{padding:2px 10px;border:1px solid var(--bs-line,#d8dee4);border-radius:var(--bs-radius,6px);background:transparent}
.dym,.hot{margin-top:6px;font-size:13px}
.hot button{margin:0 4px 4px 0}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

  // Static markup only: API data is never parsed as HTML.
  const TEMPLATE = document.createElement('template');
  TEMPLATE.innerHTML = `<style>${CSS}</style>
<form part="form" role="search">
<label class="vh" for="q">搜索政务新闻</label>
<input part="input" id="q" type="search" autocomplete="off" enterkeyhint="search" maxlength="200">
<button part="button" type="submit">搜索</button>
</form>
<p class="hot" part="hot" hidden>热搜词：</p>
<p class="status" part="status" role="status" aria-live="polite"></p>
<p class="dym" hidden>您要找的是不是：<button type="button"></button></p>
<div part="facets" class="facets"></div>
<ol part="results"></ol>
<nav part="pager" class="pager" aria-label="分页" hidden><button type="button" data-step="-1">上一页</button><span></span><button type="button" data-step="1">下一页</button></nav>`;

  /** Builds an element; props set attributes, `text` sets textContent. */
  function el(tag, props, ...kids) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') n.textContent = v;
      else n.setAttribute(k, v);
    }
    n.append(...kids);
    return n;
  }

  // Snippets are rebuilt by the search page's renderer (static/snippet.js);
  // should a host page's policy refuse it, they show as plain text.
  const shared = import(`${scriptOrigin}/static/snippet.js`).catch(() => ({
    renderSnippet(parent, html) { parent.textContent = String(html || '').replace(/<\/?mark>/g, ''); },
  }));

  class BulletinSearch extends HTMLElement {
    static get observedAttributes() { return ['placeholder']; }

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      root.append(TEMPLATE.content.cloneNode(true));
      const $ = (s) => root.querySelector(s);
      this.ui = {
        form: $('form'), input: $('input'), status: $('.status'), dym: $('.dym'), hot: $('.hot'),
        facets: $('.facets'), results: $('ol'), pager: $('nav'), pageInfo: $('nav span'),
      };
      this.state = { q: '', page: 1, district: [], topic: [], year: [] };

      const { input, form, facets, pager, dym, hot, results } = this.ui;
      input.addEventListener('compositionstart', () => { this.composing = true; });
      input.addEventListener('compositionend', () => { this.composing = false; });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        // Enter that confirms an input-method candidate is not a search.
        if (this.composing) return;
        this.search({ q: input.value.trim(), page: 1 });
      });
      facets.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-f]');
        if (!b) return;
        const f = b.dataset.f, v = b.dataset.v, cur = this.state[f];
        this.search({ [f]: cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v], page: 1 });
      });
      pager.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-step]');
        if (b) this.search({ page: this.state.page + Number(b.dataset.step) });
      });
      // Hot words and did-you-mean search their text.
      for (const p of [hot, dym]) {
        p.addEventListener('click', (e) => {
          const b = e.target.closest('button');
          if (b) this.search({ q: (input.value = b.textContent), page: 1 });
        });
      }
      // Opened hits are reported: query, id, rank.
      const open = (e) => {
        const a = e.target.closest('a[data-r]');
        if (a && this.state.q && e.button < 2) {
          this.api('events', {
            method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ query: this.state.q, id: a.dataset.id, rank: +a.dataset.r }),
          }).catch(() => {});
        }
      };
      results.addEventListener('click', open);
      results.addEventListener('auxclick', open);
    }

    connectedCallback() {
      this.attributeChangedCallback();
      if (!this.hotAsked) this.loadHot();
    }

    /** 热搜词, hidden if none or on failure. */
    async loadHot() {
      this.hotAsked = true;
      try {
        const r = await this.api('hot?limit=10');
        const h = r.ok && (await r.json()).hot;
        this.ui.hot.append(...h.map((w) => el('button', { text: w })));
        this.ui.hot.hidden = !h.length;
      } catch (_) { /* no hot words */ }
    }

    attributeChangedCallback() {
      this.ui.input.placeholder = this.getAttribute('placeholder') || '搜索政务新闻';
    }

    /** Calls the API, no cookies. */
    api(path, init) {
      return fetch(`${this.endpoint}/api/${path}`, { mode: 'cors', credentials: 'omit', headers: { Accept: 'application/json' }, ...init });
    }

    /** API base URL without a trailing slash. */
    get endpoint() { return (this.getAttribute('endpoint') || scriptOrigin).replace(/\/+$/, ''); }

    get size() {
      const n = parseInt(this.getAttribute('size'), 10);
      return n >= 1 ? Math.min(n, 50) : 10;
    }

    /** Runs a search with the given state changes and renders the answer. */
    async search(changes) {
      const s = (this.state = { ...this.state, ...changes });
      const p = new URLSearchParams();
      if (s.q) p.set('q', s.q);
      for (const [f] of FACETS) for (const v of s[f]) p.append(f, v);
      p.set('page', s.page);
      p.set('size', this.size);
      if (this.ctl) this.ctl.abort();
      const ctl = (this.ctl = new AbortController());
      this.setAttribute('aria-busy', 'true');
      try {
        const res = await this.api(`search?${p}`, { signal: ctl.signal });
        let data = null;
        try { data = await res.json(); } catch (_) { /* not JSON */ }
        if (!res.ok || !data) throw new Error((data && data.error && data.error.message) || `HTTP ${res.status}`);
        const { renderSnippet } = await shared;
        if (ctl === this.ctl) this.render(data, renderSnippet);
      } catch (err) {
        if (err.name === 'AbortError') return;
        this.ui.status.textContent = `搜索失败：${err.message}`;
        this.ui.results.replaceChildren();
        this.ui.pager.hidden = true;
      } finally {
        if (ctl === this.ctl) this.removeAttribute('aria-busy');
      }
    }

    render(data, renderSnippet) {
      const { ui, state } = this;
      const hits = data.hits || [];
      const total = data.total || 0;
      this.pages = Math.max(1, Math.ceil(total / (data.size || this.size)));
      ui.status.textContent = total ? `共 ${total} 条结果` : `没有找到“${state.q}”相关的结果`;

      const dym = data.did_you_mean;
      ui.dym.hidden = !dym || dym === state.q;
      ui.dym.querySelector('button').textContent = dym || '';

      const first = (state.page - 1) * this.size + 1;
      ui.results.replaceChildren(...hits.map((h, i) => {
        // Titles open the article on the search page itself.
        const url = `${this.endpoint}/?${new URLSearchParams({ q: state.q, article: h.id })}`;
        const meta = [h.date || (h.year ? `${h.year}年` : ''), (h.districts || []).join('、'), (h.topics || []).slice(0, 3).join('、')];
        const snip = el('p', { class: 'snippet', part: 'snippet' });
        renderSnippet(snip, h.snippet);
        return el('li', { part: 'hit' },
          el('a', { part: 'title', href: url, target: '_blank', rel: 'noopener', 'data-id': h.id, 'data-r': first + i, text: h.title || '（无标题）' }),
          el('p', { class: 'meta', part: 'meta', text: meta.filter(Boolean).join(' · ') }),
          snip);
      }));

      // Keep keyboard focus on the facet value just toggled.
      const a = this.shadowRoot.activeElement;
      const keep = a && a.dataset.f ? [a.dataset.f, a.dataset.v] : null;
      const facets = data.facets || {};
      ui.facets.replaceChildren(...FACETS.map(([f, label]) => {
        const values = (facets[f] || []).map((b) => [String(b.value), b.count]);
        for (const v of state[f]) if (!values.some((b) => b[0] === v)) values.push([v, 0]);
        if (!values.length) return '';
        return el('div', { class: 'facet', part: 'facet', role: 'group', 'aria-label': label },
          el('b', { text: label }),
          ...values.map(([v, n]) => el('button', {
            type: 'button', part: 'facet-value', 'data-f': f, 'data-v': v,
            'aria-pressed': String(state[f].includes(v)),
          }, f === 'year' && v === '0' ? '不详' : v, el('small', { text: String(n) }))));
      }));

      if (keep) {
        for (const b of ui.facets.querySelectorAll('button')) if (b.dataset.f === keep[0] && b.dataset.v === keep[1]) b.focus();
      }
      ui.pager.hidden = this.pages <= 1;
      ui.pageInfo.textContent = `${state.page} / ${this.pages}`;
      ui.pager.querySelector('[data-step="-1"]').disabled = state.page <= 1;
      ui.pager.querySelector('[data-step="1"]').disabled = state.page >= this.pages;
    }
  }

  customElements.define('bulletin-search', BulletinSearch);
})();
