// 热搜词: the most searched queries of the last days, as links under the
// search box. The list is hidden while empty and when the call fails: the
// page works the same without it.

import { el } from './dom.js';

const HOT_LIMIT = 10;

/**
 * Loads the hot words into box (hidden until there are some), each a link
 * made by href(word). Never throws.
 */
export async function loadHot(box, list, href) {
  box.hidden = true;
  try {
    const res = await fetch(`/api/hot?limit=${HOT_LIMIT}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const data = await res.json();
    const words = (Array.isArray(data && data.hot) ? data.hot : [])
      .filter((w) => typeof w === 'string' && w.trim()).slice(0, HOT_LIMIT);
    if (!words.length) return;
    list.replaceChildren(...words.map((w) => el('li', {}, el('a', { href: href(w), dataset: { hot: w }, text: w }))));
    box.hidden = false;
  } catch (_) { /* no hot words: nothing to show */ }
}
