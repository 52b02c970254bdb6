// Result-open events: when a reader opens a hit, the page tells the server
// which query it came from, which article and at what rank (1 is the first
// hit of the first page), so editors can see which searches are never
// opened. Nothing about the reader is sent. The call never delays or
// blocks the navigation: a beacon, or a keepalive fetch where beacons are
// missing, and every failure is ignored.

/** Reports that hit id at rank was opened from the results of query. */
export function reportOpen(query, id, rank) {
  if (!query || !id || !(rank >= 1)) return;
  const body = JSON.stringify({ query, id, rank });
  try {
    if (navigator.sendBeacon && navigator.sendBeacon('/api/events', new Blob([body], { type: 'application/json' }))) return;
    fetch('/api/events', {
      method: 'POST', body, keepalive: true, credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
    }).catch(() => {});
  } catch (_) { /* best effort */ }
}
