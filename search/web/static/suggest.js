// Search-as-you-type suggestions: a combobox with a listbox (WAI-ARIA 1.2
// pattern) under the search box.

import { el } from './dom.js';

export class Suggestions {
  /**
   * @param ui the page's elements (q: the input, suggest: the listbox)
   * @param composing reports an input method composing in the box
   * @param choose runs a search for the chosen suggestion
   */
  constructor(ui, composing, choose) {
    this.ui = ui;
    this.composing = composing;
    this.choose = choose;
    this.ctl = null;
    this.off = false; // set once the endpoint is missing: degrade silently
    this.list = [];
    this.active = -1;

    ui.q.addEventListener('blur', () => setTimeout(() => this.close(), 0));
    // mousedown (not click) so the input keeps focus while choosing.
    ui.suggest.addEventListener('mousedown', (e) => {
      const li = e.target.closest('[role=option]');
      if (!li) return;
      e.preventDefault();
      this.pick(Number(li.dataset.i));
    });
  }

  async load(prefix) {
    if (this.off || this.composing() || !prefix) { this.close(); return; }
    if (this.ctl) this.ctl.abort();
    const ctl = (this.ctl = new AbortController());
    try {
      const res = await fetch('/api/suggest?q=' + encodeURIComponent(prefix), {
        signal: ctl.signal, headers: { Accept: 'application/json' },
      });
      if (res.status === 404 || res.status === 501) { this.off = true; this.close(); return; }
      if (!res.ok) { this.close(); return; }
      const data = await res.json();
      if (ctl !== this.ctl || this.composing() || this.ui.q.value.trim() !== prefix) return;
      const list = Array.isArray(data && data.suggestions) ? data.suggestions : [];
      this.show(list.map(String).filter((s) => s && s !== prefix).slice(0, 8));
    } catch (_) {
      if (ctl === this.ctl) this.close();
    }
  }

  show(list) {
    const { ui } = this;
    this.list = list;
    this.active = -1;
    ui.q.removeAttribute('aria-activedescendant');
    if (!list.length || document.activeElement !== ui.q) { this.close(); return; }
    ui.suggest.replaceChildren(...list.map((s, i) =>
      el('li', { id: `suggest-${i}`, role: 'option', 'aria-selected': 'false', dataset: { i } }, s)));
    ui.suggest.hidden = false;
    ui.q.setAttribute('aria-expanded', 'true');
  }

  close() {
    const { ui } = this;
    this.list = [];
    this.active = -1;
    ui.suggest.hidden = true;
    ui.suggest.replaceChildren();
    ui.q.setAttribute('aria-expanded', 'false');
    ui.q.removeAttribute('aria-activedescendant');
  }

  highlight(i) {
    const { ui } = this;
    this.active = i;
    ui.suggest.querySelectorAll('[role=option]').forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) ui.q.setAttribute('aria-activedescendant', `suggest-${i}`);
    else ui.q.removeAttribute('aria-activedescendant');
  }

  pick(i) {
    this.ui.q.value = this.list[i];
    this.choose();
  }

  /** Handles the arrow keys, Enter and Escape while the list is open. */
  keydown(e) {
    const n = this.list.length;
    if (this.ui.suggest.hidden || n === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.highlight((this.active + 1) % n);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      this.highlight(this.active <= 0 ? n - 1 : this.active - 1);
    } else if (e.key === 'Enter' && this.active >= 0) {
      e.preventDefault();
      this.pick(this.active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    }
  }
}
