// The 高级搜索 form: labelled fields, laid out as government sites' policy
// libraries lay theirs out, that build the search box's own syntax and
// filters. The search it makes is an ordinary URL, so it can be shared.

const QUOTES = /["“”＂]/g;

/** Splits a field into words: spaces separate, quotes are dropped. */
const words = (s) => String(s || '').replace(QUOTES, ' ').split(/\s+/)
  .map((w) => w.replace(/^[-－|｜]+/, '')).filter((w) => w && w !== 'OR');

/** A value that holds spaces is quoted so it stays one term. */
const one = (s) => {
  const v = String(s || '').replace(QUOTES, ' ').trim().replace(/\s+/g, ' ');
  return /\s/.test(v) ? `"${v}"` : v;
};

/**
 * Builds the query for the form's fields: {all, any, not, exact, where,
 * issuer, docNo}. `where` is 'title' to search titles only.
 */
export function buildQuery(f) {
  const scope = f.where === 'title' ? '标题:' : '';
  const parts = words(f.all).map((w) => scope + w);
  const exact = one(f.exact);
  if (exact) parts.push(scope + (exact.startsWith('"') ? exact : `"${exact}"`));
  const any = words(f.any).map((w) => scope + w);
  if (any.length) parts.push(any.join(' | '));
  const issuer = one(f.issuer);
  if (issuer) parts.push('发文机关:' + issuer);
  const docNo = one(f.docNo);
  if (docNo) parts.push('文号:' + docNo);
  for (const w of words(f.not)) parts.push('-' + w);
  return parts.join(' ');
}

/** Wires the form: `onSearch({q, from, to})` runs the search it builds. */
export function setupAdvanced(form, onSearch) {
  const val = (name) => form.elements[name].value;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = buildQuery({
      all: val('all'), any: val('any'), not: val('not'), exact: val('exact'),
      where: val('where'), issuer: val('issuer'), docNo: val('doc_no'),
    });
    onSearch({ q, from: val('date_from'), to: val('date_to') });
  });
  form.addEventListener('reset', () => setTimeout(() => form.elements.all.focus(), 0));
}
