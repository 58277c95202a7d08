// The dashboard: asks for a key once, checks it against the API, then keeps the view live with the all-jobs event
// stream (each event updates its row at once and triggers a fresh overview) and a periodic overview refresh.
import { KeyRefused, artifactUrl, followEvents, getJson, storedKey } from './api.js';
import { el, jobRow, renderFailures, renderKpis, renderQueues, renderWorkers, tickRow } from './view.js';

const REFRESH_MS = 3000;
const $ = (id) => document.getElementById(id);

let session = null;

class Session {
  constructor(key) {
    this.key = key;
    this.abort = new AbortController();
    this.jobs = new Map();
    this.rows = new Map();
    this.thumbs = new Map();
    this.overview = null;
    this.receivedAt = 0;
    this.refreshQueued = null;
    this.refreshing = false;
  }

  get signal() {
    return this.abort.signal;
  }

  start() {
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.ticker = setInterval(() => this.tick(), 1000);
    this.follow();
  }

  stop() {
    this.abort.abort();
    clearInterval(this.timer);
    clearInterval(this.ticker);
    clearTimeout(this.refreshQueued);
    for (const url of this.thumbs.values()) {
      if (typeof url === 'string') {
        URL.revokeObjectURL(url);
      }
    }
    this.thumbs.clear();
  }

  async refresh() {
    if (this.refreshing || this.signal.aborted) {
      return;
    }
    this.refreshing = true;
    try {
      const overview = await getJson(this.key, '/api/v1/overview?limit=60', this.signal);
      if (!this.signal.aborted) {
        this.render(overview);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.refreshing = false;
    }
  }

  /** Several events in a burst make one request. */
  soon() {
    if (!this.refreshQueued) {
      this.refreshQueued = setTimeout(() => {
        this.refreshQueued = null;
        this.refresh();
      }, 250);
    }
  }

  async follow() {
    let wait = 1000;
    while (!this.signal.aborted) {
      try {
        // The server sends the response head with its first event, so an idle stream counts as live once requested.
        setConnection('live');
        await followEvents(this.key, () => {
          setConnection('live');
          wait = 1000;
        }, (event) => this.onEvent(event), this.signal);
      } catch (error) {
        if (error instanceof KeyRefused) {
          this.fail(error);
          return;
        }
      }
      if (this.signal.aborted) {
        return;
      }
      setConnection('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 15000);
      this.soon();
    }
  }

  onEvent(event) {
    const job = this.jobs.get(event.jobId);
    if (job && event.status && job.status !== event.status) {
      job.status = event.status;
      if (event.status === 'processing' && !job.startedAt) {
        job.startedAt = event.changedAt;
      }
      this.updateRow(job);
    }
    this.soon();
  }

  fail(error) {
    if (this.signal.aborted) {
      return;
    }
    if (error instanceof KeyRefused) {
      lockOut(error);
    } else {
      setConnection('error', error.message);
    }
  }

  render(overview) {
    this.overview = overview;
    this.receivedAt = Date.now();
    const caller = overview.caller;
    $('owner').textContent = caller.seesAllOwners ? 'admin · every owner' : `owner ${caller.owner}`;
    $('owner').title = caller.seesAllOwners ? 'An admin key: jobs of every owner' : 'Only this owner\'s jobs are shown';
    renderKpis($('kpis'), overview.statusCounts);
    this.renderJobs(overview.jobs, caller.seesAllOwners);
    this.tick();
    showApp();
  }

  renderJobs(jobs, showOwners) {
    const body = $('jobs-body');
    const seen = new Set();
    const ordered = [];
    for (const incoming of jobs) {
      const job = { ...incoming, ownerShown: showOwners };
      seen.add(job.id);
      const known = this.jobs.get(job.id);
      // A status the stream already moved forward is kept until the overview catches up.
      if (known && rank(known.status) > rank(job.status)) {
        job.status = known.status;
        job.startedAt = job.startedAt || known.startedAt;
      }
      this.jobs.set(job.id, job);
      ordered.push(this.rowFor(job, known));
    }
    for (const id of [...this.rows.keys()]) {
      if (!seen.has(id)) {
        this.rows.delete(id);
        this.jobs.delete(id);
      }
    }
    body.replaceChildren(...ordered);
    $('jobs-empty').hidden = jobs.length > 0;
    $('jobs-note').textContent = jobs.length ? `newest ${jobs.length}` : '';
  }

  rowFor(job, known) {
    const existing = this.rows.get(job.id);
    if (existing && known && signature(known) === signature(job)) {
      return existing;
    }
    const row = jobRow(job, this.thumbsFor(job));
    this.rows.set(job.id, row);
    tickRow(row, job, Date.now());
    return row;
  }

  updateRow(job) {
    const old = this.rows.get(job.id);
    if (!old) {
      return;
    }
    const row = jobRow(job, this.thumbsFor(job));
    tickRow(row, job, Date.now());
    old.replaceWith(row);
    this.rows.set(job.id, row);
  }

  thumbsFor(job) {
    const box = el('div', { class: 'thumbs' });
    for (const shot of job.screenshots || []) {
      const img = el('img', { class: 'thumb', alt: 'Screenshot', title: 'Screenshot: click to enlarge', 'data-artifact-id': shot.id, 'data-loaded': 'false' });
      box.append(img);
      this.loadThumb(img, shot);
    }
    return box;
  }

  async loadThumb(img, shot) {
    let url = this.thumbs.get(shot.id);
    try {
      if (!url) {
        url = artifactUrl(this.key, shot.url, this.signal);
        this.thumbs.set(shot.id, url);
      }
      const resolved = await url;
      this.thumbs.set(shot.id, resolved);
      img.addEventListener('load', () => img.setAttribute('data-loaded', 'true'), { once: true });
      img.src = resolved;
      img.addEventListener('click', () => openPreview(resolved));
    } catch (error) {
      this.thumbs.delete(shot.id);
      img.classList.add('broken');
      if (error instanceof KeyRefused) {
        this.fail(error);
      }
    }
  }

  tick() {
    const overview = this.overview;
    if (!overview) {
      return;
    }
    const now = Date.now();
    for (const [id, row] of this.rows) {
      tickRow(row, this.jobs.get(id), now);
    }
    renderQueues($('queues'), overview.queues, now - this.receivedAt);
    renderFailures($('failures'), overview.failures);
    renderWorkers($('workers'), overview.workers, now);
    const live = overview.workers.filter((w) => w.status !== 'offline').length;
    $('workers-note').textContent = `${live} live`;
  }
}

const order = { pending: 0, processing: 1, completed: 2, failed: 2, cancelled: 2, expired: 2 };
const rank = (status) => order[status] ?? 0;
const signature = (j) => [j.status, j.startedAt, j.completedAt, j.retryCount, j.errorType, (j.screenshots || []).length, j.ownerShown].join('|');

function setConnection(state, detail) {
  const node = $('connection');
  node.dataset.state = state;
  node.textContent = { live: 'live', reconnecting: 'reconnecting…', connecting: 'connecting…', error: 'API error' }[state] || state;
  node.title = detail || 'Live updates over the job event stream';
}

function showApp() {
  $('login').hidden = true;
  $('session').hidden = false;
  $('app').hidden = false;
}

/** Drops everything shown and asks for a key again; with a refusal, says why and shows nothing else. */
function lockOut(refusal) {
  if (session) {
    session.stop();
    session = null;
  }
  storedKey.clear();
  for (const id of ['jobs-body', 'kpis', 'queues', 'failures', 'workers']) {
    $(id).replaceChildren();
  }
  $('owner').textContent = '';
  $('app').hidden = true;
  $('session').hidden = true;
  $('preview').hidden = true;
  const error = $('key-error');
  if (refusal) {
    error.textContent = refusal.status === 403
      ? 'This API key may not read jobs: it needs the read scope (or admin).'
      : 'This API key was refused: it is unknown or has been revoked.';
    error.hidden = false;
  } else {
    error.hidden = true;
  }
  $('login').hidden = false;
  $('key-input').value = '';
  $('key-input').focus();
}

async function open(key) {
  const submit = $('key-submit');
  submit.disabled = true;
  try {
    // The key is checked before anything is shown or stored.
    const overview = await getJson(key, '/api/v1/overview?limit=60');
    storedKey.set(key);
    $('key-input').value = '';
    session = new Session(key);
    setConnection('connecting');
    session.render(overview);
    session.start();
  } catch (error) {
    if (error instanceof KeyRefused) {
      lockOut(error);
    } else {
      $('key-error').textContent = `The API could not be reached: ${error.message}`;
      $('key-error').hidden = false;
    }
  } finally {
    submit.disabled = false;
  }
}

function openPreview(url) {
  $('preview-img').src = url;
  $('preview').hidden = false;
}

$('preview').addEventListener('click', () => {
  $('preview').hidden = true;
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    $('preview').hidden = true;
  }
});
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = $('key-input').value.trim();
  if (key) {
    open(key);
  }
});
$('change-key').addEventListener('click', () => lockOut(null));

const saved = storedKey.get();
if (saved) {
  open(saved);
} else {
  lockOut(null);
}
