'use strict';
// The Shoal dashboard: one page whose views are drawn from the JSON API (see the dashboard module's README).
// Everything from the server is put into the page as text, never as HTML.

const state = { session: { authenticated: false, loginLinks: false }, expanded: new Set(), last: '', timer: null,
  logSeq: 0, logApp: null, charts: {} };

// The function page's charts, drawn with uPlot from /api/functions/{id}/history: each is a placeholder in the
// view, filled (or updated in place) after the view is on the page, so that a redraw of the view keeps them.
const CHARTS = [
  { id: 'chart-throughput', title: 'Throughput (inputs/s)', series: [['throughput', 'inputs/s', '#0f3d5e']] },
  { id: 'chart-latency', title: 'Latency of attempts (ms, since start)', series: [['p50Ms', 'p50', '#1a7f37'], ['p99Ms', 'p99', '#cf222e']] },
  { id: 'chart-queue', title: 'Queued inputs', series: [['queued', 'queued', '#9a6700']] },
  { id: 'chart-containers', title: 'Live containers', series: [['containers', 'containers', '#8250df']] },
];

function chartPlaceholders() {
  return h('section', { id: 'charts' }, h('h2', {}, 'Over time'),
    h('p', { class: 'none', id: 'charts-empty' }, 'Sampled every 5 s while the dashboard runs (a server keeps 24 hours); the first points appear within seconds.'),
    h('div', { class: 'charts' }, CHARTS.map(c => h('figure', {}, h('figcaption', {}, c.title), h('div', { class: 'chart', id: c.id })))));
}

async function drawCharts(functionId) {
  if (typeof uPlot === 'undefined' || !document.getElementById('charts')) return;
  const history = await api('/api/functions/' + encodeURIComponent(functionId) + '/history');
  const times = history.timeS || [];
  const empty = document.getElementById('charts-empty');
  if (empty) empty.hidden = times.length > 0;
  for (const c of CHARTS) {
    const box = document.getElementById(c.id);
    if (!box) continue;
    const data = [times, ...c.series.map(([key]) => history[key] || [])];
    box.setAttribute('data-points', String(times.length));
    const drawn = state.charts[c.id];
    if (drawn && drawn.root.isConnected) {
      drawn.setData(data);
    } else {
      state.charts[c.id] = new uPlot({
        width: 420, height: 180,
        scales: { x: { time: true } },
        series: [{}, ...c.series.map(([, label, stroke]) => ({ label, stroke, width: 2, spanGaps: false }))],
        axes: [{}, { size: 60 }],
      }, data, box);
    }
  }
}

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function time(ms) { return ms ? new Date(ms).toLocaleTimeString() : ''; }
function badge(s) { return h('span', { class: 'state state-' + s }, s); }
function link(href, text, attrs) { return h('a', Object.assign({ href }, attrs || {}), text); }
// A table, or when it has no rows a line that says so (an empty table reads as "still loading").
function table(headers, rows, none) {
  if (!rows.length) return h('p', { class: 'none' }, none || 'None.');
  return h('table', {}, h('tr', {}, headers.map(x => h('th', {}, x))), rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))));
}

// Sizes and durations as people read them: 1.5 MiB, 850 ms, 2.5 s, 5 min, 3 h.
function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = -1;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + units[u];
}
function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return (ms < 10 && ms % 1 ? ms.toFixed(1) : Math.round(ms)) + ' ms';
  const s = ms / 1000;
  if (s < 60) return (s < 10 ? s.toFixed(1).replace(/\.0$/, '') : Math.round(s)) + ' s';
  const m = s / 60;
  if (m < 60) return (m < 10 ? m.toFixed(1).replace(/\.0$/, '') : Math.round(m)) + ' min';
  const hours = m / 60;
  return (hours < 10 ? hours.toFixed(1).replace(/\.0$/, '') : Math.round(hours)) + ' h';
}
// An option's value in its unit: the names say which (timeoutMs, memoryMb); lists as words, or "none".
function optionValue(name, value) {
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (typeof value === 'number' && name.endsWith('Ms')) return value === 0 ? '0' : duration(value);
  if (typeof value === 'number' && name === 'memoryMb') return value === 0 ? 'no limit' : bytes(value * 1024 * 1024);
  return value;
}

function message(text, ok) {
  const m = document.getElementById('message');
  m.className = ok ? 'ok' : '';
  m.textContent = text || '';
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: 'same-origin' }, options || {}));
  const body = await response.json().catch(() => ({ error: 'the server answered ' + response.status }));
  if (!response.ok) {
    const error = new Error(body.error || ('the server answered ' + response.status));
    error.status = response.status;
    throw error;
  }
  return body;
}

async function act(path, done) {
  try {
    await api(path, { method: 'POST', headers: { 'X-Shoal-Action': '1' } });
    message(done, true);
  } catch (e) {
    message(e.status === 401 ? 'Refused: ' + e.message : 'Failed: ' + e.message);
  }
  refresh(true);
}

// A dashboard that prints login links (the embedded engine's) never asks for a token: the page asks for a new
// link instead, which appears where the program's output goes, for the user only.
async function askForLoginLink() {
  try {
    await api('/api/login-link', { method: 'POST' });
    message('A new login link was printed on the standard error of the program serving this dashboard', true);
  } catch (e) {
    message('Failed: ' + e.message);
  }
}

function loginLinkButton(id) {
  return h('button', { id, onclick: askForLoginLink }, 'Print a new login link');
}

function drawSession() {
  const box = document.getElementById('session');
  box.replaceChildren();
  if (state.session.authenticated) {
    box.append(h('span', { id: 'logged-in' }, 'Logged in'),
      h('button', { id: 'logout', onclick: async () => { await api('/api/logout', { method: 'POST' }); await loadSession(); refresh(true); } }, 'Log out'));
  } else if (state.session.loginLinks) {
    box.append(loginLinkButton('login-link'));
  } else {
    const input = h('input', { id: 'token', type: 'password', placeholder: 'server token', autocomplete: 'off' });
    const form = h('form', { id: 'login-form', onsubmit: async ev => {
      ev.preventDefault();
      try {
        await api('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: input.value }) });
        input.value = '';
        message('Logged in', true);
      } catch (e) {
        message('Login failed: ' + e.message);
      }
      await loadSession();
      refresh(true);
    } }, input, h('button', { id: 'login', type: 'submit' }, 'Log in'));
    box.append(form);
  }
}

async function loadSession() {
  state.session = await api('/api/session');
  drawSession();
}

function callRows(calls) {
  return table(['call', 'function', 'kind', 'state', 'progress', 'started'], calls.map(c => [
    link('#/calls/' + c.id, c.id, { class: 'call-link', 'data-call-id': c.id }), c.function, c.kind, badge(c.state),
    c.done + ' / ' + (c.total >= 0 ? c.total : c.submitted + '…') + (c.failed ? ' (' + c.failed + ' failed)' : ''),
    time(c.createdAtMs)]));
}

// One app; {@code earlier} are the older deployed versions of its name, which only drain the calls made on them.
function appSection(app, earlier = []) {
  const running = app.state !== 'stopped';
  return h('section', { class: 'app', 'data-app-id': app.id },
    h('h2', {}, link('#/apps/' + app.id, app.name), ' ', badge(app.state), ' ',
      running ? h('button', { class: 'stop-app', onclick: () => act('/api/apps/' + app.id + '/stop', 'Stopped app ' + app.name) }, 'Stop app') : null),
    h('p', {}, 'id ', app.id, ' · environment ', app.environment, app.version ? ' · version ' + app.version : '',
      ' · ', app.liveContainers, app.liveContainers === 1 ? ' live container' : ' live containers', ' · started ',
      time(app.createdAtMs), ' · ', link('#/logs/' + app.id, 'logs')),
    app.state === 'deployed' && !app.current ? h('p', { class: 'superseded' }, 'Superseded by a newer version: it finishes the calls made on it, with no warm containers.') : null,
    earlier.length ? h('p', { class: 'earlier-versions' }, 'Earlier versions, draining: ',
      ...earlier.flatMap((o, i) => [i ? ', ' : '', link('#/apps/' + o.id, 'version ' + o.version), ' (', o.liveContainers, ' live)'])) : null,
    table(['function', 'live containers', 'queued inputs', 'running inputs', 'succeeded', 'failed'], app.functions.map(f => [
      running ? link('#/functions/' + f.id, f.name, { class: 'function-link' }) : f.name, f.liveContainers, f.queued,
      f.running, f.succeeded, f.failed]), 'This app defines no functions.'),
    app.recentCalls.length ? h('h2', {}, 'Recent calls') : null,
    app.recentCalls.length ? callRows(app.recentCalls) : null);
}

// A failed input: what failed and, on request, its remote stack trace; {@code where} says which call it was in.
function failureBlock(f, where) {
  return h('div', { class: 'failure', 'data-input-id': f.id },
    h('p', {}, where, 'input ', f.index, ' (', f.id, ') · ', f.attempts, f.attempts === 1 ? ' attempt · ' : ' attempts · ',
      badge(f.state), ' · ', f.errorType, f.finishedAtMs ? ' · ' + time(f.finishedAtMs) : '', ' ',
      h('button', { class: 'toggle', onclick: () => { state.expanded.has(f.id) ? state.expanded.delete(f.id) : state.expanded.add(f.id); refresh(true); } },
        state.expanded.has(f.id) ? 'Hide stack trace' : 'Show stack trace')),
    state.expanded.has(f.id) ? h('pre', { class: 'stack' }, f.error) : null);
}

const views = {
  async apps() {
    const apps = await api('/api/apps');
    // One section per app that callers reach by name; the deployed versions it superseded are listed in it.
    const superseded = a => a.state === 'deployed' && !a.current;
    const shown = apps.filter(a => !superseded(a));
    const earlierOf = a => apps.filter(o => superseded(o) && o.name === a.name && o.environment === a.environment)
      .sort((x, y) => y.version - x.version);
    const orphans = apps.filter(o => superseded(o) && !shown.some(a => a.name === o.name && a.environment === o.environment));
    const sections = shown.map(a => appSection(a, a.state === 'deployed' ? earlierOf(a) : [])).concat(orphans.map(o => appSection(o)));
    return [h('h1', {}, 'Apps'), sections.length ? sections : h('p', { class: 'none' }, 'No apps have run yet.')];
  },
  async app(id) {
    return [appSection(await api('/api/apps/' + encodeURIComponent(id)))];
  },
  async function(id) {
    const path = '/api/functions/' + encodeURIComponent(id);
    const [f, failures] = await Promise.all([api(path), api(path + '/failures')]);
    const s = f.summary;
    const l = f.latency;
    return [h('h1', {}, s.name, ' ', h('span', { class: 'subtitle' }, 'function of app ', link('#/apps/' + s.appId, s.appName))),
      h('section', {}, table(['queued inputs', 'running inputs', 'attempts started', 'succeeded', 'failed', 'cancelled', 'live containers'],
        [[s.queued, s.running, s.started, s.succeeded, s.failed, s.cancelled, s.liveContainers]]),
        h('h2', {}, 'Latency of attempts'),
        l.count ? table(['attempts', 'mean', 'p50', 'p90', 'p99', 'max'], [[l.count, duration(l.meanMs), duration(l.p50Ms), duration(l.p90Ms), duration(l.p99Ms), duration(l.maxMs)]])
          : h('p', { class: 'none' }, 'No attempt has finished yet.')),
      h('section', { id: 'function-failures' }, h('h2', {}, 'Failures'), failures.length
        ? failures.map(x => failureBlock(x.input, [link('#/calls/' + x.callId, x.callId), ' (', x.kind, ') · ']))
        : h('p', { class: 'none' }, 'None among its recent calls.')),
      chartPlaceholders(),
      h('section', {}, h('h2', {}, 'Options'), table(['option', 'value'], Object.entries(f.options).map(([k, v]) => [k, optionValue(k, v)]))),
      h('section', {}, h('h2', {}, 'Containers'), table(['container', 'phase', 'running inputs', 'started', 'last seen'],
        f.containers.map(c => [c.id, badge(c.phase), c.runningInputs, time(c.createdAtMs), time(c.lastSeenMs)]), 'No live containers.')),
      h('section', {}, h('h2', {}, 'Container events'), table(['time', 'container', 'event'], f.events.map(e => [time(e.timeMs), e.containerId, e.text]), 'None yet.')),
      h('section', {}, h('h2', {}, 'Recent calls'), callRows(f.recentCalls))];
  },
  async call(id) {
    const c = await api('/api/calls/' + encodeURIComponent(id));
    const s = c.summary;
    const finished = ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(s.state);
    const total = s.total >= 0 ? s.total : s.submitted;
    return [h('h1', {}, 'Call ', s.id),
      h('section', {},
        h('p', {}, 'Function ', link('#/apps/' + s.appId, s.appName), ' · ', s.function, ' · ', s.kind, ' · state ',
          h('span', { id: 'call-state', class: 'state state-' + s.state }, s.state), ' ',
          finished ? null : h('button', { id: 'cancel-call', onclick: () => act('/api/calls/' + s.id + '/cancel', 'Cancelled call ' + s.id) }, 'Cancel call')),
        h('p', {}, h('progress', { max: Math.max(1, total), value: s.done }), ' ',
          h('span', { id: 'call-progress', 'data-done': s.done, 'data-total': s.total }, s.done + ' / ' + (s.total >= 0 ? s.total : s.submitted + '…') + ' done'),
          ' · ', s.running, ' running · ', s.succeeded, ' succeeded · ', s.failed, ' failed · ', s.cancelled, ' cancelled')),
      h('section', { id: 'failures' }, h('h2', {}, 'Failures'), c.failures.length ? c.failures.map(f => failureBlock(f, []))
        : h('p', { class: 'none' }, 'None.')),
      h('section', {}, h('h2', {}, 'Inputs'), c.inputsTruncated ? h('p', {}, 'The first inputs only.') : null,
        table(['index', 'input', 'attempts', 'state', 'finished'], c.inputs.map(i => [i.index, i.id, i.attempts, badge(i.state), time(i.finishedAtMs)]), 'No inputs yet.'))];
  },
  async volumes() {
    const vs = await api('/api/volumes');
    return [h('h1', {}, 'Volumes'), h('section', {}, table(['volume', 'files', 'size', 'version', 'created'],
      vs.map(v => [link('#/volumes/' + encodeURIComponent(v.name) + '/', v.name, { class: 'volume-link' }), v.files, bytes(v.bytes), v.version, time(v.createdAtMs)]),
      'No volumes yet.'))];
  },
  async volume(name, dir) {
    const entries = await api('/api/volumes/' + encodeURIComponent(name) + '/entries?dir=' + encodeURIComponent(dir));
    const up = dir.includes('/') ? dir.substring(0, dir.lastIndexOf('/')) : '';
    return [h('h1', {}, 'Volume ', name, dir ? ' / ' + dir : ''),
      h('section', {}, dir ? h('p', {}, link('#/volumes/' + encodeURIComponent(name) + '/' + up, '⬑ up')) : null,
        table(['path', 'size', 'modified'], entries.map(e => [
          e.directory ? link('#/volumes/' + encodeURIComponent(name) + '/' + e.path, e.path + '/')
            : link('/api/volumes/' + encodeURIComponent(name) + '/file?path=' + encodeURIComponent(e.path), e.path, { download: '', class: 'download' }),
          e.directory ? '' : bytes(e.size), time(e.modifiedMs)]), 'This directory is empty.'))];
  },
  async logs(appId) {
    // A new, empty log box: read the log from its start.
    state.logApp = appId;
    state.logSeq = 0;
    return [h('h1', {}, 'Logs of ', link('#/apps/' + appId, appId)), h('pre', { id: 'logs' })];
  }
};

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  const rest = parts.slice(1).map(decodeURIComponent);
  switch (parts[0]) {
    case 'apps': return rest[0] ? ['app', rest[0]] : ['apps'];
    case 'functions': return ['function', rest[0]];
    case 'calls': return ['call', rest[0]];
    case 'logs': return ['logs', rest[0]];
    case 'volumes': return rest[0] ? ['volume', rest[0], rest.slice(1).join('/').replace(/\/$/, '')] : ['volumes'];
    default: return ['apps'];
  }
}

async function tailLogs() {
  const box = document.getElementById('logs');
  if (!box) return;
  const page = await api('/api/apps/' + encodeURIComponent(state.logApp) + '/logs?after=' + state.logSeq + '&max=1000');
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  if (page.missed) box.append(h('div', { class: 'system' }, '… ' + page.missed + ' older lines were dropped'));
  for (const l of page.lines) {
    box.append(h('div', { class: l.source }, time(l.timeMs) + ' ' + (l.function || '') + ' ' + (l.containerId || '') + ' ' + l.text));
  }
  state.logSeq = page.lastSeq;
  if (atEnd) box.scrollTop = box.scrollHeight;
}

async function refresh(force) {
  const [name, ...args] = route();
  const view = document.getElementById('view');
  try {
    if (name === 'logs' && !force && document.getElementById('logs') && state.logApp === args[0]) {
      await tailLogs();
      return;
    }
    const content = await views[name](...args);
    const drawn = h('div', {}, content);
    // Redrawing only what changed keeps the reader's place and the elements under the pointer.
    if (force || drawn.innerHTML !== state.last) {
      state.last = drawn.innerHTML;
      view.replaceChildren(...drawn.childNodes);
    }
    if (name === 'logs') await tailLogs();
    if (name === 'function') await drawCharts(args[0]);
  } catch (e) {
    state.last = '';
    if (e.status === 401) {
      // The session ended (idle or too old): show the way back in.
      if (state.session.authenticated) await loadSession().catch(() => {});
      view.replaceChildren(h('section', { id: 'needs-login' }, h('h1', {}, 'Log in'), state.session.loginLinks
        ? h('p', {}, 'Open the login link this program printed on its standard error; each link logs in once. ',
          loginLinkButton('needs-login-link'))
        : h('p', {}, 'This server needs its token to show anything. Enter it above; it is kept in an HttpOnly session cookie, never in the page.')));
    } else {
      view.replaceChildren(h('section', { id: 'error' }, h('p', {}, e.message)));
    }
  }
}

window.addEventListener('hashchange', () => { message(''); state.last = ''; refresh(true); });
window.addEventListener('DOMContentLoaded', async () => {
  try { await loadSession(); } catch (e) { message(e.message); }
  await refresh(true);
  state.timer = setInterval(() => refresh(false), 1000);
});
