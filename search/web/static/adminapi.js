// The admin API as the editors' page uses it. The key the editor types in
// is kept in sessionStorage: for this tab only, gone when it closes. It is
// sent as "Authorization: Bearer …" and never put in a URL.

const STORE = 'bulletin-admin-key';

export const keyStore = {
  get() {
    try { return sessionStorage.getItem(STORE) || ''; } catch (_) { return ''; }
  },
  set(k) {
    try { sessionStorage.setItem(STORE, k); } catch (_) { /* storage off: kept in memory */ }
    memoryKey = k;
  },
  clear() {
    try { sessionStorage.removeItem(STORE); } catch (_) { /* nothing kept */ }
    memoryKey = '';
  },
};
let memoryKey = '';
const currentKey = () => keyStore.get() || memoryKey;

/** An answer of the API that is not a success; status is the HTTP status (0: no answer). */
export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Path segment for a query, name or word: any text, "/" included. */
export const seg = (s) => encodeURIComponent(String(s));

/**
 * Calls the API. Admin paths carry the key; body, if any, is sent as JSON.
 * Resolves to the parsed answer (null for an empty one); rejects with an
 * APIError.
 */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (path.startsWith('/api/admin/')) headers.Authorization = 'Bearer ' + currentKey();
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (_) {
    throw new APIError(0, 'network', '无法连接服务器，请稍后再试。');
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (_) { /* not JSON */ }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new APIError(res.status, e.code || '', e.message || `服务器返回错误（HTTP ${res.status}）`);
  }
  return data;
}
