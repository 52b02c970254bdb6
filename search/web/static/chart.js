// The queries-per-day chart of the editors' page: an SVG line drawn here,
// no library. Screen readers get a one-sentence description; the numbers
// are also in a table under the chart.

const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 220; // viewBox; the SVG scales to its box
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

function svg(tag, attrs, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  if (text != null) n.textContent = text;
  return n;
}

/** A round upper bound for the y axis (1, 2, 5 × 10ⁿ). */
function niceMax(v) {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * Draws points [{date: 'YYYY-MM-DD', count}] (oldest first) into box, and
 * the same numbers as rows of table's <tbody>.
 */
export function drawChart(box, table, points, captionId) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.count)));
  const iw = W - PAD.left - PAD.right, ih = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length > 1 ? (i * iw) / (points.length - 1) : iw / 2);
  const y = (c) => PAD.top + ih - (c / max) * ih;

  const total = points.reduce((s, p) => s + p.count, 0);
  const peak = points.reduce((b, p) => (p.count > b.count ? p : b), points[0] || { count: 0, date: '' });
  const desc = points.length
    ? `${points[0].date} 至 ${points[points.length - 1].date} 共 ${points.length} 天，合计 ${total} 次搜索` +
      (peak.count ? `，最多的一天是 ${peak.date}，${peak.count} 次。` : '。')
    : '没有数据。';

  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart-svg',
    'aria-labelledby': `${captionId} chart-desc`, focusable: 'false',
  });
  root.append(svg('desc', { id: 'chart-desc' }, desc));

  // Grid lines and y labels at 0, ½ and the top.
  for (const v of [0, max / 2, max]) {
    root.append(svg('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    root.append(svg('text', { class: 'axis', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  // x labels: first, last and a few between, never crowded.
  const every = Math.max(1, Math.ceil(points.length / 7));
  points.forEach((p, i) => {
    if (i % every && i !== points.length - 1) return;
    const anchor = points.length > 1 && i === 0 ? 'start' : i === points.length - 1 && i > 0 ? 'end' : 'middle';
    root.append(svg('text', { class: 'axis', x: x(i), y: H - 8, 'text-anchor': anchor }, p.date.slice(5)));
  });
  if (points.length > 1) {
    root.append(svg('polyline', { class: 'line', points: points.map((p, i) => `${x(i)},${y(p.count)}`).join(' ') }));
  }
  points.forEach((p, i) => {
    const dot = svg('circle', { class: 'point', cx: x(i), cy: y(p.count), r: 4, 'data-date': p.date, 'data-count': p.count });
    dot.append(svg('title', {}, `${p.date}：${p.count} 次`));
    root.append(dot);
  });
  box.replaceChildren(root);

  const rows = points.map((p) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = p.date;
    const td = document.createElement('td');
    td.textContent = String(p.count);
    tr.append(th, td);
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}
