// Every call to the service goes through here: the API key as a Bearer header, the tenant header when one is chosen,
// and errors turned into one Error whose message is the service's own explanation.

const KEY = 'hanul.key';
const TENANT = 'hanul.tenant';

// sessionStorage: the key is forgotten when the tab closes, and is never sent as a cookie.
export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  get tenant() { return sessionStorage.getItem(TENANT) || ''; },
  signIn(key, tenant) {
    sessionStorage.setItem(KEY, key);
    if (tenant) sessionStorage.setItem(TENANT, tenant); else sessionStorage.removeItem(TENANT);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(TENANT);
    sessionStorage.removeItem('hanul.actor');
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  const result = {...extra};
  if (session.key) result.Authorization = `Bearer ${session.key}`;
  if (session.tenant) result['X-Tenant-Id'] = session.tenant;
  // The registry records who moved an alias or loaded a version from this header.
  const actor = sessionStorage.getItem('hanul.actor');
  if (actor) result['X-Hanul-Actor'] = actor;
  return result;
}

async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    message = body.message ?? body.error?.message ?? message;
  } catch {
    // Not JSON: the status line says enough.
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent('hanul:unauthorized', {detail: message}));
  return new ApiError(response.status, message);
}

/** fetch + JSON. body: an object (sent as JSON) or FormData. Resolves to the parsed body, or null for 204. */
export async function api(method, path, body, options = {}) {
  const init = {method, headers: headers(), signal: options.signal};
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204 || response.status === 202 && response.headers.get('content-length') === '0') {
    return null;
  }
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/**
 * POSTs a JSON body and reads the answer as server-sent events: onEvent(name, data) for each. EventSource cannot
 * send an Authorization header or a body, so the stream is read from fetch. Abort with options.signal.
 */
export async function stream(path, body, onEvent, options = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({'Content-Type': 'application/json', Accept: 'text/event-stream'}),
    body: JSON.stringify(body),
    signal: options.signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      dispatch(block, onEvent);
    }
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return;
  const text = data.join('\n');
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Plain text data stays a string.
  }
  onEvent(name, parsed);
}
