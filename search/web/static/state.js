// The page's state lives in the URL (q, district, topic, year, issuer, type
// — repeatable —, date_from, date_to, page, size, sort, article), so back/forward, reload and shared links
// all work. These functions read it and write it; they hold nothing.

export const FACETS = [
  { key: 'district', label: '区' },
  { key: 'topic', label: '主题' },
  { key: 'year', label: '年份' },
  { key: 'issuer', label: '发文机关' },
  { key: 'type', label: '类型' },
];

/** State changes that clear every facet filter. */
export const noFacets = () => Object.fromEntries(FACETS.map((f) => [f.key, []]));

const posInt = (s, def) => {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n > 0 ? n : def;
};

const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '');

/** The state the current URL describes. */
export function readState() {
  const p = new URLSearchParams(location.search);
  const s = {
    q: (p.get('q') || '').trim(),
    sort: p.get('sort') === 'date' ? 'date' : 'relevance',
    page: posInt(p.get('page'), 1),
    size: posInt(p.get('size'), 0), // 0: the API's default
    article: p.get('article') || '',
    from: isDate(p.get('date_from')) ? p.get('date_from') : '',
    to: isDate(p.get('date_to')) ? p.get('date_to') : '',
  };
  for (const f of FACETS) s[f.key] = [...new Set(p.getAll(f.key).filter(Boolean))];
  return s;
}

/** Query parameters for the API (no article, no defaults). */
export function searchParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) for (const v of s[f.key]) p.append(f.key, v);
  if (s.from) p.set('date_from', s.from);
  if (s.to) p.set('date_to', s.to);
  if (s.sort === 'date') p.set('sort', 'date');
  if (s.page > 1) p.set('page', String(s.page));
  if (s.size) p.set('size', String(s.size));
  return p;
}

/** The page's URL for state s. */
export function urlFor(s) {
  const p = searchParams(s);
  if (s.article) p.set('article', s.article);
  const qs = p.toString();
  return location.pathname + (qs ? '?' + qs : '');
}

/** A new search from state s: first page, no article, with changes. */
export const withChanges = (s, changes) => ({ ...s, page: 1, article: '', ...changes });
