// Talks to the API with the user's key. The key lives in sessionStorage (this tab only) and travels only as an
// Authorization header to this origin; it is never written into the page.
const STORAGE_KEY = 'browser-automation.dashboard.key';

export class KeyRefused extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

export const storedKey = {
  get: () => sessionStorage.getItem(STORAGE_KEY),
  set: (key) => sessionStorage.setItem(STORAGE_KEY, key),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};

function headers(key, extra) {
  return { Authorization: `Bearer ${key}`, ...extra };
}

async function refusal(response) {
  let detail = '';
  try {
    detail = (await response.json()).detail || '';
  } catch {
    // A body that is not problem+json says nothing more than the status.
  }
  return new KeyRefused(response.status, detail);
}

/** GET a JSON document; 401/403 become KeyRefused, anything else non-2xx an Error. */
export async function getJson(key, path, signal) {
  const response = await fetch(path, { headers: headers(key, { Accept: 'application/json' }), cache: 'no-store', signal });
  if (response.status === 401 || response.status === 403) {
    throw await refusal(response);
  }
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return response.json();
}

/** Downloads an artifact with the key and returns an object URL for it (the caller revokes it). */
export async function artifactUrl(key, path, signal) {
  const response = await fetch(path, { headers: headers(key), cache: 'no-store', signal });
  if (response.status === 401 || response.status === 403) {
    throw await refusal(response);
  }
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return URL.createObjectURL(await response.blob());
}

/**
 * Follows the all-jobs Server-Sent Events stream. EventSource cannot send a header, so this reads the stream with
 * fetch and parses the frames itself. Resolves when the server ends the stream; rejects on refusal or network error.
 */
export async function followEvents(key, onOpen, onEvent, signal) {
  const response = await fetch('/api/v1/jobs/events', { headers: headers(key, { Accept: 'text/event-stream' }), cache: 'no-store', signal });
  if (response.status === 401 || response.status === 403) {
    throw await refusal(response);
  }
  if (!response.ok || !response.body) {
    throw new Error(`the event stream answered ${response.status}`);
  }
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) {
        try {
          onEvent(JSON.parse(data));
        } catch {
          // A frame that is not JSON is not ours to show.
        }
      }
    }
  }
}
