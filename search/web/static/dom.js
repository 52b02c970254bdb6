// Small DOM helpers of the search page. API data reaches the DOM only as
// text: textContent, text nodes, attributes set with setAttribute.

/** el('p', {className: 'x', text: 'hi'}, child…) builds an element safely. */
export function el(tag, props, ...children) {
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

const OPEN = '〔[［(（【﹝〖';
const CLOSE = '〕]］)）】﹞〗';
const esc = (c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cls = (chars) => '[' + [...chars].map((c) => (/[\]\\^-]/.test(c) ? '\\' + c : c)).join('') + ']';

/**
 * A term as a pattern that finds it as the text may print it: any bracket
 * form of a document number (京政办发[2016]26号 finds 京政办发〔2016〕26号),
 * half- or full-width digits and letters in any case, any spacing inside a
 * phrase.
 */
export function termPattern(t) {
  let out = '';
  for (const c of t) {
    if (OPEN.includes(c)) out += cls(OPEN);
    else if (CLOSE.includes(c)) out += cls(CLOSE);
    else if (/[0-9]/.test(c)) out += '[' + c + String.fromCharCode(0xff10 + Number(c)) + ']';
    else if (/[０-９]/.test(c)) out += '[' + String(c.charCodeAt(0) - 0xff10) + c + ']';
    else if (/\s/.test(c)) out += '\\s*';
    else out += esc(c);
  }
  return out;
}

/** Appends `text` to `parent`, wrapping occurrences of terms in <mark>. */
export function appendHighlighted(parent, text, terms) {
  if (!terms.length) { parent.append(text); return; }
  const re = new RegExp('(' + terms.map(termPattern).join('|') + ')', 'giu');
  text.split(re).forEach((part, i) => {
    if (!part) return;
    parent.append(i % 2 ? el('mark', { text: part }) : part);
  });
}

/**
 * The words and phrases of a query that an article is marked with: the
 * terms the query asks for, read as the search box's syntax reads them
 * (quotes, scope prefixes such as 标题: and the OR operators taken off;
 * excluded terms, -word, left out).
 */
export function queryTerms(q) {
  const terms = [];
  const re = /(-?)(?:(?:标题|標題|title|正文|body|文号|文號|doc_no|发文机关|發文機關|issuer)[:：])?(?:"([^"]+)"|“([^”]+)”|(\S+))/gi;
  for (const m of String(q || '').matchAll(re)) {
    const t = (m[2] || m[3] || m[4] || '').replace(/["“”]/g, '').trim();
    if (m[1] || t === 'OR' || !/[\p{L}\p{N}]/u.test(t)) continue;
    terms.push(t);
  }
  return terms;
}

/** True for a plain left click that should be handled in-page. */
export const isPlainClick = (e) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

export const yearLabel = (v) => (String(v) === '0' ? '年份不详' : v + ' 年');

/** Parses a JSON response; throws an Error with the API's message on failure. */
export async function readJSON(res) {
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
