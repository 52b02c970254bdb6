// The one snippet renderer, shared by the search page (app.js imports it)
// and the embeddable widget (embed.js imports it from the search host).
//
// A snippet from the API is HTML-escaped article text with literal
// <mark>…</mark> around matches and nothing else. It is rebuilt as text
// nodes and <mark> elements, never parsed as HTML: any other markup, and
// any unbalanced tag, stays text.

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#34;': '"', '&#39;': "'" };

/** Decodes only the entities that HTML escaping produces (Go writes &#34; for a quote). */
export const unescapeText = (s) => s.replace(/&(?:lt|gt|amp|quot|#34|#39);/g, (m) => ENTITIES[m]);

/** Rebuilds the API snippet `snippet` into `parent` as text nodes and <mark>s. */
export function renderSnippet(parent, snippet) {
  let target = parent;
  for (const part of String(snippet || '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') {
      if (target === parent) target = parent.appendChild(parent.ownerDocument.createElement('mark'));
    } else if (part === '</mark>') {
      target = parent;
    } else if (part) {
      target.append(unescapeText(part));
    }
  }
}
