// Rendering: every value goes in through textContent or attributes, never as HTML.
export const STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled', 'expired'];

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'text') {
      node.textContent = value;
    } else if (name.startsWith('data-') || name === 'title' || name === 'role' || name.startsWith('aria-')) {
      node.setAttribute(name, value);
    } else {
      node[name] = value;
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.round(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function ago(date, now) {
  const s = Math.max(0, Math.round((now - date) / 1000));
  if (s < 5) {
    return 'just now';
  }
  if (s < 60) {
    return `${s} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  return date.toLocaleDateString();
}

export const clock = (date) => date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function pill(status) {
  return el('span', { class: `pill s-${status}`, 'data-role': 'status', text: status });
}

function shortUrl(url) {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** The KPI strip: jobs of the window by status. */
export function renderKpis(target, counts) {
  const total = STATUSES.reduce((sum, s) => sum + (counts[s] || 0), 0);
  const finished = (counts.completed || 0) + (counts.failed || 0);
  const rate = finished ? `${(((counts.failed || 0) / finished) * 100).toFixed(1)} %` : '—';
  target.replaceChildren(
    el('div', { class: 'kpi' }, el('span', { class: 'kpi-value', text: String(total) }), el('span', { class: 'kpi-label', text: 'jobs · 24 h' })),
    ...STATUSES.map((s) => el('div', { class: `kpi k-${s}` },
      el('span', { class: 'kpi-value', text: String(counts[s] || 0) }), el('span', { class: 'kpi-label', text: s }))),
    el('div', { class: 'kpi' }, el('span', { class: 'kpi-value', text: rate }), el('span', { class: 'kpi-label', text: 'failure rate' })),
  );
}

// The browser type only when it says more than the engine (a device such as "iPhone 13").
function browserLabel(job) {
  const name = job.browserType || `type ${job.browserTypeId}`;
  return name.toLowerCase() === job.engine.toLowerCase() ? 'desktop' : name;
}

/** One job row; thumbs is an element holding the screenshots (filled by the caller). */
export function jobRow(job, thumbs) {
  const failure = job.errorType
    ? el('div', { class: 'failure' }, el('span', { class: 'etype', text: job.errorType }), el('span', { class: 'emsg', text: job.errorMessage || '' }))
    : null;
  const retries = job.retryCount > 0 ? el('span', { class: 'tag', title: 'Retries', text: `retry ${job.retryCount}` }) : null;
  const owner = job.ownerShown ? el('span', { class: 'tag owner-tag', title: 'Owner', text: job.owner }) : null;
  return el('tr', { 'data-job-id': job.id, 'data-status': job.status },
    el('td', { class: 'c-status' }, pill(job.status)),
    el('td', { class: 'c-shot' }, thumbs),
    el('td', { class: 'c-job' },
      el('div', { class: 'job-line' },
        el('span', { class: 'action', text: job.actionType }),
        el('span', { class: 'target', title: job.targetUrl, text: shortUrl(job.targetUrl) }), retries, owner),
      el('div', { class: 'job-id', title: job.id, text: job.id }),
      failure),
    el('td', { class: 'c-engine' }, el('div', { class: 'engine-name', text: job.engine }),
      el('div', { class: 'muted small', text: browserLabel(job) })),
    el('td', { class: 'c-time', 'data-created': job.createdAt, title: new Date(job.createdAt).toLocaleString() }),
    el('td', { class: 'c-dur', 'data-role': 'duration' }));
}

/** Updates the cells that move with the clock: relative created time and a running job's elapsed time. */
export function tickRow(row, job, now) {
  row.querySelector('.c-time').textContent = ago(new Date(job.createdAt), now);
  const cell = row.querySelector('.c-dur');
  if (job.durationMs !== null && job.durationMs !== undefined) {
    cell.textContent = duration(job.durationMs);
    cell.classList.remove('running');
  } else if (job.status === 'processing' && job.startedAt) {
    cell.textContent = duration(now - new Date(job.startedAt));
    cell.classList.add('running');
  } else if (job.status === 'pending') {
    cell.textContent = `waiting ${duration(now - new Date(job.createdAt))}`;
    cell.classList.add('running');
  } else {
    cell.textContent = '—';
    cell.classList.remove('running');
  }
}

export function renderQueues(target, queues, ageOffsetMs) {
  if (!queues.length) {
    target.replaceChildren(el('p', { class: 'empty', text: 'No engines configured.' }));
    return;
  }
  target.replaceChildren(...queues.map((q) => {
    const age = q.oldestPendingAgeSeconds === null ? null : q.oldestPendingAgeSeconds * 1000 + ageOffsetMs;
    const level = age === null ? 'ok' : age > 60000 ? 'bad' : age > 10000 ? 'warn' : 'ok';
    return el('div', { class: 'queue', 'data-engine': q.engine },
      el('span', { class: 'engine-name', text: q.engine }),
      el('span', { class: 'queue-depth', title: 'Pending jobs', text: `${q.pending} pending` }),
      el('span', { class: 'muted small', text: `${q.processing} running` }),
      el('span', { class: `queue-age lvl-${level}`, title: 'Oldest pending job waited', text: age === null ? '—' : duration(age) }));
  }));
}

function bar(fraction) {
  const fill = el('span');
  // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
  fill.style.width = `${Math.max(4, fraction * 100)}%`;
  return el('div', { class: 'bar' }, fill);
}

export function renderFailures(target, failures) {
  if (!failures.length) {
    target.replaceChildren(el('p', { class: 'empty ok-text', text: 'No failures in the last 24 hours.' }));
    return;
  }
  const max = Math.max(...failures.map((f) => f.count));
  target.replaceChildren(...failures.map((f) => el('div', { class: 'reason', 'data-error-type': f.errorType, title: f.lastMessage || '' },
    el('div', { class: 'reason-head' }, el('span', { class: 'etype', text: f.errorType }), el('span', { class: 'reason-count', text: String(f.count) })),
    bar(f.count / max),
    f.lastMessage ? el('div', { class: 'emsg small', text: f.lastMessage }) : null)));
}

export function renderWorkers(target, workers, now) {
  if (!workers.length) {
    target.replaceChildren(el('p', { class: 'empty bad-text', text: 'No worker has reported in the last 10 minutes.' }));
    return;
  }
  target.replaceChildren(...workers.map((w) => {
    const pool = w.pool;
    const state = w.available === false ? 'unavailable' : w.status;
    return el('div', { class: 'worker', 'data-status': state },
      el('div', { class: 'worker-head' },
        el('span', { class: `dot w-${state}`, 'aria-hidden': 'true' }),
        el('span', { class: 'engine-name', text: w.engine }),
        el('span', { class: 'muted small', title: w.id, text: `${w.host ? `${w.host} · ` : ''}${w.id.slice(0, 8)}` }),
        el('span', { class: `wstate w-${state}`, text: state })),
      el('div', { class: 'worker-stats small' },
        el('span', { text: `jobs ${w.runningJobs}/${w.maxConcurrentJobs ?? '?'}` }),
        pool ? el('span', { text: `browsers ${pool.browsers}${pool.draining ? ` (${pool.draining} draining)` : ''}` }) : null,
        pool ? el('span', { text: `contexts ${pool.openContexts}` }) : null,
        pool ? el('span', { text: `launched ${pool.launched} · recycled ${pool.recycled} · ` },
          el('span', { class: pool.crashed ? 'bad-text' : '', text: `crashed ${pool.crashed}` })) : null,
        el('span', { class: 'muted', text: `beat ${ago(new Date(w.lastHeartbeat), now)}` })),
      w.available === false && w.unavailableReason ? el('div', { class: 'emsg small', text: w.unavailableReason }) : null,
      w.browserVersion ? el('div', { class: 'muted small', text: w.browserVersion }) : null);
  }));
}
