// Levee console. Plain ES2020, no framework: it signs in with the master key or the metrics token,
// then polls the gateway's /levee/* JSON views. Everything from the server reaches the page through
// textContent (el() below), never innerHTML, and the key travels only in the Authorization header.
'use strict';

const KEY_STORE = 'levee.console.key';
const REFRESH_MS = 3000;
const REQUEST_LIMIT = 100; // enough to keep a burst's first requests in view; the server allows 200
const SECTIONS = ['overview', 'breakers', 'requests', 'keys', 'alerts'];
// Resolved against the page (/ui/), so the console also works behind a proxy that adds a path prefix.
const BASE = new URL('../', document.baseURI);

const session = { key: null, auth: true, role: null };
const view = { timer: null, generation: 0, traffic: null, requestsSignature: '', charts: new Map() };

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- DOM and formatting helpers

/** Builds an element. Children that are not nodes become text nodes, so server data is never parsed as HTML. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const td = (content, cls) => el('td', { class: cls }, content ?? '–');
const isoTitle = (iso) => (iso ? String(iso) : undefined);

/** A badge shows a state by colour and always by name too, for those who cannot tell the colours apart. */
function badge(value) {
  const text = String(value ?? 'unknown');
  return el('span', { class: `badge ${text.toLowerCase()}` }, text.toLowerCase().replace(/_/g, '-'));
}

function fmtTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
}

function timeCell(iso) {
  return el('td', { title: isoTitle(iso) }, el('time', { datetime: isoTitle(iso) }, fmtTime(iso)));
}

function fmtMs(v) {
  if (v === undefined || v === null) return '–';
  return `${v < 10 ? Number(v).toFixed(1) : Math.round(v)} ms`;
}

function fmtUsd(v) {
  if (v === undefined || v === null) return '–';
  const n = Number(v);
  return `$${n === 0 || n >= 0.01 ? n.toFixed(2) : n.toFixed(6)}`;
}

const fmtPct = (ratio, digits = 1) => `${(Number(ratio) * 100).toFixed(digits)}%`;
const fmtNum = (v) => (v === undefined || v === null ? '–' : Number(v).toLocaleString());

/** Replaces a tbody's rows; an empty list gets one row that says so instead of a blank table. */
function fillTable(tbody, rows, emptyText) {
  const columns = tbody.closest('table').querySelectorAll('thead th').length;
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: columns }, emptyText))]));
}

/** Polite status line for the results of actions (screen readers hear it through aria-live). */
function say(message) {
  $('#status').textContent = message;
}

/** Sets an error text only when it changed, so a failing poll does not re-announce itself every 3 s. */
function showError(target, message) {
  const node = target.matches('[role=alert]') ? target : target.querySelector('[data-error]');
  if (node && node.textContent !== (message || '')) node.textContent = message || '';
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param; // the request field a 400 is about, when the server names it
  }
}

/** One call to the gateway with the key as a Bearer token; a non-2xx answer throws its JSON error message. */
async function api(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  if (session.key) headers.Authorization = `Bearer ${session.key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(path, BASE), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, `The gateway did not answer (${err.message}).`);
  }
  if (!response.ok) {
    let error = {};
    try { error = (await response.json()).error || {}; } catch { /* not JSON: fall back to the status */ }
    throw new ApiError(response.status, error.message || `HTTP ${response.status} from ${path}`, error.code, error.param);
  }
  return accept === 'application/json' ? response.json() : response.blob();
}

const isRefusal = (err) => err instanceof ApiError && (err.status === 401 || err.status === 403);

/** A refused key ends the session (back to sign-in, with the server's reason); anything else shows in place. */
function report(err, target) {
  if (isRefusal(err) && session.auth) {
    signOut(err.message);
  } else {
    showError(target, err.message || String(err));
  }
}

// ---------------------------------------------------------------- session

async function checkSession() {
  try {
    const answer = await api('levee/session');
    session.auth = answer.auth !== false;
    session.role = session.auth ? answer.role : 'open';
    showApp();
    return true;
  } catch (err) {
    showSignIn(session.key || !isRefusal(err) ? err.message : '');
    return false;
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('#signin-key');
  const key = input.value.trim();
  if (!key) return;
  session.key = key;
  sessionStorage.setItem(KEY_STORE, key);
  input.value = ''; // the key lives in session storage, not in the DOM
  if (!(await checkSession())) {
    session.key = null;
    sessionStorage.removeItem(KEY_STORE);
    input.focus();
  }
}

function signOut(message = '') {
  session.key = null;
  session.role = null;
  sessionStorage.removeItem(KEY_STORE);
  clearTimeout(view.timer);
  view.generation++;
  clearData();
  showSignIn(message);
}

function showSignIn(message) {
  $('#loading').hidden = true;
  $('#app').hidden = true;
  $('#signout').hidden = true;
  $('#auth-note').hidden = true;
  $('#signin').hidden = false;
  $('#signin-error').textContent = message || '';
  $('#signin-key').focus();
}

function showApp() {
  $('#loading').hidden = true;
  $('#signin').hidden = true;
  $('#signin-error').textContent = '';
  $('#app').hidden = false;
  $('#signout').hidden = !session.auth;
  const note = $('#auth-note');
  note.hidden = false;
  note.textContent = !session.auth
    ? 'Authentication is off: anyone who reaches the gateway sees this console.'
    : `Signed in with the ${session.role === 'admin' ? 'master key' : 'read-only metrics token'}.`;
  const notice = $('#keys-needs-master');
  notice.hidden = canManageKeys();
  notice.textContent = session.auth
    ? 'Managing keys needs the master key: you are signed in with the read-only metrics token.'
    : 'Managing keys needs the master key: with authentication off the admin API is off too (set LEVEE_MASTER_KEY).';
  $('#keys-admin').hidden = !canManageKeys();
  route(false);
}

/** Signing out removes what was shown, so nothing stays readable on the page without a key. */
function clearData() {
  for (const tbody of document.querySelectorAll('#app tbody')) tbody.replaceChildren();
  for (const node of document.querySelectorAll('#transitions, #request-detail, #key-secret, #key-secret-id, #status, #updated, [data-error], #usage-error, #key-form-error')) {
    node.replaceChildren();
  }
  $('#request-detail').hidden = true;
  $('#secret-box').hidden = true;
  $('#scope').replaceChildren(el('option', { value: 'all|all' }, 'all traffic'));
  for (const chart of view.charts.values()) chart.dispose();
  view.charts.clear();
  for (const node of document.querySelectorAll('[data-points]')) node.dataset.points = '0';
  view.traffic = null;
  view.requestsSignature = '';
}

// ---------------------------------------------------------------- navigation and polling

function currentSection() {
  const name = location.hash.slice(1);
  return SECTIONS.includes(name) ? name : 'overview';
}

/** Shows the section named by the hash; after a nav click, focus moves to its heading for screen readers. */
function route(moveFocus) {
  if ($('#app').hidden) return;
  const name = currentSection();
  for (const section of document.querySelectorAll('[data-section]')) section.hidden = section.dataset.section !== name;
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  say(''); // an action's message belongs to the section it happened in
  if (moveFocus) {
    const heading = $(`#h-${name}`);
    heading.tabIndex = -1;
    heading.focus();
  }
  refreshNow();
}

// The keys section is loaded on entry and after each action, not polled: rebuilding it every
// few seconds would pull the focus from under someone tabbing through its buttons.
const LOADERS = { overview: loadOverview, breakers: loadBreakers, requests: loadRequests, keys: loadKeys, alerts: loadAlerts };
const POLLED = new Set(['overview', 'breakers', 'requests', 'alerts']);

async function refreshNow() {
  clearTimeout(view.timer);
  const generation = ++view.generation; // a newer refresh (or sign-out) makes this one stop rescheduling
  const name = currentSection();
  const section = $(`#section-${name}`);
  if (document.visibilityState !== 'hidden' || !POLLED.has(name)) {
    try {
      await LOADERS[name]();
      showError(section, '');
      $('#updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      if (generation === view.generation) report(err, section);
    }
  }
  if (generation === view.generation && session.role && POLLED.has(name)) {
    view.timer = setTimeout(refreshNow, REFRESH_MS);
  }
}

// ---------------------------------------------------------------- charts

/** The ECharts instance of a container, created once it has a size (a hidden section has none). */
function chartFor(container, initialOption) {
  const id = container.dataset.testid;
  if (view.charts.has(id)) return view.charts.get(id);
  if (typeof echarts === 'undefined' || container.clientWidth === 0) return null;
  const chart = echarts.init(container, null, { renderer: 'canvas' });
  chart.setOption(initialOption);
  new ResizeObserver(() => { if (container.clientWidth > 0 && !chart.isDisposed()) chart.resize(); }).observe(container);
  view.charts.set(id, chart);
  return chart;
}

// Each overview chart: its series as [name, value of a bucket]. Rates are per second of the bucket.
// Rates and percentiles are undefined (null) in quiet buckets, so their charts draw symbols: a lone
// point between gaps would otherwise be invisible.
const TRAFFIC_CHARTS = {
  'chart-requests': { series: [['requests/s', (p, s) => p.requests / s]] },
  'chart-latency': { symbols: true, series: [['p50', (p) => p.p50_ms], ['p95', (p) => p.p95_ms], ['p99', (p) => p.p99_ms]] },
  'chart-errors': {
    symbols: true,
    series: [
      ['error rate %', (p) => (p.requests ? (100 * p.errors) / p.requests : null)],
      ['fallback rate %', (p) => (p.requests ? (100 * p.fallbacks) / p.requests : null)],
    ],
  },
  'chart-cost': { series: [['USD/hour', (p, s) => (p.cost_usd / s) * 3600]] },
  'chart-tokens': { stack: true, series: [['prompt', (p, s) => p.prompt_tokens / s], ['completion', (p, s) => p.completion_tokens / s]] },
};

function lineOption(spec) {
  return {
    animation: false,
    grid: { left: 52, right: 14, top: 30, bottom: 26 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', min: 0 },
    series: spec.series.map(([name]) => ({
      name, type: 'line', data: [], showSymbol: Boolean(spec.symbols), symbolSize: 4,
      stack: spec.stack ? 'total' : undefined, areaStyle: spec.stack ? {} : undefined,
    })),
  };
}

/** Plots one traffic series into every overview chart, and counts the non-zero points for data-points. */
function renderTrafficCharts() {
  const traffic = view.traffic;
  if (!traffic) return;
  const [scope, name] = $('#scope').value.split('|');
  const series = traffic.series.find((s) => s.scope === scope && s.name === name) || traffic.series.find((s) => s.scope === 'all');
  const points = series ? series.points : [];
  const bucket = traffic.bucket_seconds || 1;
  for (const [id, spec] of Object.entries(TRAFFIC_CHARTS)) {
    const container = $(`[data-testid=${id}]`);
    const data = spec.series.map(([, value]) => points.map((p) => [p.t, value(p, bucket) ?? null]));
    container.dataset.points = String(data.flat().filter(([, v]) => v !== null && v !== 0).length);
    const chart = chartFor(container, lineOption(spec));
    if (!chart) continue;
    chart.setOption({ series: data.map((d) => ({ data: d })) });
  }
}

/** Keeps the scope choices in step with the series the server reports, without losing the current choice. */
function renderScopes(series) {
  const select = $('#scope');
  const values = series.map((s) => `${s.scope}|${s.name}`);
  const current = [...select.options].map((o) => o.value);
  if (values.join('\n') === current.join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(...series.map((s) => el('option', { value: `${s.scope}|${s.name}` }, s.scope === 'all' ? 'all traffic' : `${s.scope} ${s.name}`)));
  select.value = values.includes(chosen) ? chosen : values[0] || '';
}

// ---------------------------------------------------------------- overview

async function loadOverview() {
  const [traffic, stats] = await Promise.all([api('levee/traffic'), api('levee/stats')]);
  view.traffic = traffic;
  renderScopes(traffic.series || []);
  renderTrafficCharts();
  renderMode($('#overview-mode'), stats.degradation_mode);
  renderSlo(stats.slo || {});
}

function renderMode(node, mode) {
  node.replaceChildren(badge(mode || 'unknown'));
}

/** A burn rate above 1 spends the error budget faster than the objective allows: it is flagged. */
function burnCell(rate) {
  if (rate === undefined || rate === null) return td('–', 'num');
  const cell = td(Number(rate).toFixed(2), 'num');
  if (rate > 1) cell.append(' ', badge('warning'));
  return cell;
}

function renderSlo(slo) {
  const rows = Object.entries(slo).map(([routeName, { availability: a = {}, latency: l = {} }]) => el('tr', { dataset: { testid: 'slo-row', route: routeName } },
    td(routeName), td(a.target === undefined ? '–' : fmtPct(a.target, 2)), td(fmtNum(a.requests_1h), 'num'), td(fmtNum(a.failed_1h), 'num'),
    burnCell(a.burn_rate_5m), burnCell(a.burn_rate_1h),
    td(l.target_ms === undefined ? '–' : `p${Math.round((l.percentile ?? 0) * 100)} ≤ ${l.target_ms} ms`), td(fmtNum(l.slow_1h), 'num'),
    burnCell(l.burn_rate_5m), burnCell(l.burn_rate_1h)));
  fillTable($('#slo-body'), rows, 'No objectives are configured.');
}

// ---------------------------------------------------------------- breakers

async function loadBreakers() {
  const answer = await api('levee/breakers');
  renderMode($('#breakers-mode'), answer.degradation_mode);
  renderBreakers(answer.breakers || []);
  renderTransitions(answer.transitions || []);
}

function renderBreakers(breakers) {
  const rows = breakers.map((b) => el('tr', { dataset: { testid: 'breaker-row', target: b.target, state: b.state } },
    td(b.target), el('td', {}, badge(b.state)),
    td(b.failure_rate === undefined || b.failure_rate === null || b.failure_rate < 0 ? '–' : fmtPct(b.failure_rate), 'num'), // a fraction of 1
    td(fmtNum(b.failed_calls), 'num'), td(fmtNum(b.successful_calls), 'num'),
    td(fmtNum(b.consecutive_failures), 'num'), td(fmtNum(b.not_permitted_calls), 'num')));
  fillTable($('#breakers-body'), rows, 'No breakers yet: they appear with the first call to a target.');
}

const STATE_COLOURS = { CLOSED: '#17723a', OPEN: '#b3261e', HALF_OPEN: '#6b3fb3', FORCED_OPEN: '#b3261e' };

function renderTransitions(transitions) {
  const newest = [...transitions].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const items = newest.map((t) => el('li', { dataset: { testid: 'transition-row', target: t.target, from: t.from, to: t.to } },
    el('time', { datetime: isoTitle(t.at) }, fmtTime(t.at)), ' ', el('strong', {}, t.target), ' ', badge(t.from), ' → ', badge(t.to)));
  $('#transitions').replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, 'No transitions yet.')]));

  const container = $('[data-testid=chart-transitions]');
  container.dataset.points = String(newest.length);
  const chart = chartFor(container, { animation: false });
  if (!chart) return;
  const targets = [...new Set(newest.map((t) => t.target))].sort();
  // At least the last 15 minutes, like the traffic charts: one lone point would otherwise span days.
  const now = Date.now();
  const earliest = Math.min(now - 15 * 60_000, ...newest.map((t) => Date.parse(t.at)).filter(Number.isFinite));
  chart.setOption({
    animation: false,
    grid: { left: 120, right: 14, top: 10, bottom: 26 },
    tooltip: { trigger: 'item', formatter: (p) => `${p.data.value[1]}: ${p.data.from} → ${p.data.to}` },
    xAxis: { type: 'time', min: earliest, max: now },
    yAxis: { type: 'category', data: targets },
    series: [{
      type: 'scatter', symbolSize: 10,
      data: newest.map((t) => ({ value: [Date.parse(t.at), t.target], from: t.from, to: t.to, itemStyle: { color: STATE_COLOURS[t.to] || '#5a6472' } })),
    }],
  }, { replaceMerge: ['series', 'yAxis'] });
}

// ---------------------------------------------------------------- requests

async function loadRequests() {
  const { data = [] } = await api(`levee/requests?limit=${REQUEST_LIMIT}`);
  renderRequests(data);
}

function renderRequests(records) {
  const signature = records.map((r) => r.request_id).join(',');
  if (signature === view.requestsSignature) return; // unchanged: leave the rows (and the focus) alone
  view.requestsSignature = signature;
  const tbody = $('#requests-body');
  const focusedId = tbody.contains(document.activeElement) ? document.activeElement.closest('tr').dataset.requestId : null;
  const selectedId = $('#request-detail').dataset.requestId;
  const rows = records.map((r) => el('tr', { class: r.request_id === selectedId ? 'selected' : undefined, dataset: { testid: 'request-row', requestId: r.request_id, route: r.route, status: r.status } },
    timeCell(r.timestamp),
    el('td', {}, el('button', { type: 'button', class: 'link-button', 'aria-label': `Show request ${r.request_id}` }, r.request_id)),
    td(r.route), td(r.model ? `${r.provider ?? ''}/${r.model}` : undefined), el('td', {}, badge(r.status)),
    td(fmtMs(r.latency_ms), 'num'), td(fmtUsd(r.cost_usd), 'num'), td(fmtNum(r.fallback_level), 'num')));
  fillTable(tbody, rows, 'No requests yet.');
  if (focusedId) tbody.querySelector(`tr[data-request-id="${CSS.escape(focusedId)}"] button`)?.focus();
}

async function showRequest(id) {
  const section = $('#section-requests');
  try {
    const record = await api(`levee/requests/${encodeURIComponent(id)}`);
    showError(section, '');
    renderRequestDetail(record);
  } catch (err) {
    report(err, section);
  }
}

function renderRequestDetail(r) {
  const detail = $('#request-detail');
  const tokens = r.tokens ? `${fmtNum(r.tokens.prompt)} prompt + ${fmtNum(r.tokens.completion)} completion = ${fmtNum(r.tokens.total)}${r.tokens.estimated ? ' (estimated)' : ''}` : undefined;
  const facts = [
    ['Time', fmtTime(r.timestamp)], ['Route', r.route], ['Answered by', r.model ? `${r.provider ?? ''}/${r.model}` : undefined],
    ['Status', badge(r.status)], ['Fallback level', r.fallback_level], ['Stream', r.stream ? 'yes' : 'no'],
    ['Latency', fmtMs(r.latency_ms)], ['Time to first token', r.ttft_ms === undefined || r.ttft_ms === null ? undefined : fmtMs(r.ttft_ms)],
    ['Tokens', tokens], ['Cost', fmtUsd(r.cost_usd)], ['Finish reason', r.finish_reason],
    ['Error', r.error ? `${r.error.kind ?? 'error'}: ${r.error.message ?? ''}` : undefined],
    ['Breakers then', r.breaker_states ? Object.entries(r.breaker_states).map(([t, s]) => `${t} ${String(s).toLowerCase()}`).join(', ') : undefined],
    ['Anomaly score', r.anomaly_score === undefined ? undefined : Number(r.anomaly_score).toFixed(2)],
    ['Anomaly reasons', r.anomaly_reasons && r.anomaly_reasons.length ? r.anomaly_reasons.join('; ') : undefined],
  ].filter(([, value]) => value !== undefined && value !== null);
  const attempts = (r.attempts || []).map((a, i) => el('tr', { dataset: { testid: 'attempt-row', target: a.target, outcome: a.outcome } },
    td(i + 1, 'num'), td(a.tier, 'num'), td(a.target), el('td', {}, badge(a.outcome)), td(a.status, 'num'),
    td(fmtMs(a.latency_ms), 'num'), td(fmtMs(a.retry_delay_ms), 'num'),
    td(a.error && typeof a.error === 'object' ? a.error.message ?? JSON.stringify(a.error) : a.error, 'wrap')));
  const close = el('button', { type: 'button', class: 'secondary' }, 'Close');
  close.addEventListener('click', () => { detail.hidden = true; delete detail.dataset.requestId; markSelected(null); });
  const attemptsBody = el('tbody', {});
  detail.replaceChildren(
    el('h3', {}, 'Request ', el('code', {}, r.request_id)),
    el('dl', { class: 'detail-grid' }, facts.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v)))),
    el('h4', {}, 'Attempts, in order'),
    el('div', { class: 'table-wrap' }, el('table', { dataset: { testid: 'attempts-table' } },
      el('thead', {}, el('tr', {}, ['#', 'Tier', 'Target', 'Outcome', 'Status', 'Latency', 'Retry delay', 'Error'].map((h) => el('th', { scope: 'col' }, h)))),
      attemptsBody)),
    el('p', {}, close));
  fillTable(attemptsBody, attempts, 'No attempts recorded.');
  detail.dataset.requestId = r.request_id;
  detail.hidden = false;
  markSelected(r.request_id);
  detail.focus();
}

function markSelected(id) {
  for (const row of document.querySelectorAll('#requests-body tr')) row.classList.toggle('selected', row.dataset.requestId === id);
}

// ---------------------------------------------------------------- keys, budgets and usage

const canManageKeys = () => session.auth && session.role === 'admin';

async function loadKeys() {
  if (!canManageKeys()) return;
  const [keys, budgets] = await Promise.all([api('levee/admin/keys'), api('levee/admin/budgets')]);
  const all = budgets.data || [];
  renderKeys(keys.data || [], all.filter((b) => b.scope === 'key'));
  renderTeamBudgets(all.filter((b) => b.scope === 'team'));
}

/** Spend against a budget as a bar (the colour warns from 80%) and always as text. */
function budgetView(b) {
  if (!b) return el('span', { class: 'muted' }, 'no budget');
  const used = Math.max(0, Number(b.used) || 0);
  const bar = el('div', { class: `bar${used >= 1 ? ' over' : used >= 0.8 ? ' high' : ''}`, 'aria-hidden': 'true' }, el('span', {}));
  bar.firstChild.style.width = `${Math.min(100, used * 100)}%`;
  return el('div', { dataset: { testid: 'budget' } }, bar, `${fmtUsd(b.spent_usd)} of ${fmtUsd(b.budget_usd)} per ${b.period} (${fmtPct(used)})`);
}

function limitsText(k) {
  const parts = [['rpm', k.rpm], ['tpm', k.tpm], ['concurrent', k.max_concurrent], ['priority', k.priority]]
    .filter(([, v]) => v !== null && v !== undefined).map(([n, v]) => `${n} ${v}`);
  return parts.length ? parts.join(' · ') : 'none';
}

function renderKeys(keys, keyBudgets) {
  const rows = keys.map((k) => {
    const actions = el('td', {});
    if (k.status === 'active') {
      const rotate = el('button', { type: 'button', class: 'secondary', dataset: { testid: 'rotate-key' } }, 'Rotate');
      const revoke = el('button', { type: 'button', class: 'danger', dataset: { testid: 'revoke-key' } }, 'Revoke');
      rotate.addEventListener('click', () => rotateKey(k));
      revoke.addEventListener('click', () => revokeKey(k));
      actions.append(rotate, ' ', revoke);
    }
    return el('tr', { dataset: { testid: 'key-row', keyId: k.id, keyName: k.name ?? '', status: k.status } },
      td(k.name || '(unnamed)', 'name'), el('td', {}, el('code', {}, k.id), el('br'), el('code', { class: 'muted' }, `${k.prefix}…`)),
      td(k.team), td(k.routes && k.routes.length ? k.routes.join(', ') : 'all'), el('td', {}, badge(k.status)),
      td(limitsText(k)), el('td', {}, budgetView(keyBudgets.find((b) => b.id === k.id))), timeCell(k.created_at), actions);
  });
  fillTable($('#keys-body'), rows, 'No keys yet.');
}

function renderTeamBudgets(teamBudgets) {
  const rows = teamBudgets.map((b) => el('tr', { dataset: { testid: 'team-budget-row', team: b.id } }, td(b.name || b.id), el('td', {}, budgetView(b))));
  fillTable($('#team-budgets-body'), rows, 'No team budgets.');
}

/** The create form's filled fields only: the server applies its defaults to the rest. */
function keyRequestBody(form) {
  const body = {};
  const text = (name) => form.elements[name].value.trim();
  for (const name of ['name', 'team', 'budget_period']) if (text(name)) body[name] = text(name);
  if (text('routes')) body.routes = text('routes').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of ['rpm', 'tpm']) if (text(name)) body[name] = Number.parseInt(text(name), 10);
  if (text('budget_usd')) body.budget_usd = Number(text('budget_usd'));
  return body;
}

/** Marks the field a 400 is about (its `param`, else the field its message names), so the error sits by it. */
function markInvalidField(form, err) {
  for (const input of form.querySelectorAll('input, select')) {
    const named = err && (err.param ? err.param === input.name : new RegExp(`\\b${input.name}\\b`).test(err.message));
    if (named) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'key-form-error'); // a screen reader reads the reason with the field
    } else {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
  }
}

async function createKey(event) {
  event.preventDefault();
  const form = event.target;
  const error = $('#key-form-error');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const created = await api('levee/admin/keys', { method: 'POST', body: keyRequestBody(form) });
    error.textContent = '';
    markInvalidField(form, null);
    form.reset();
    showSecret(created, 'New key', '');
    say(`Key ${created.id} created. Copy its secret now.`);
    await loadKeys();
  } catch (err) {
    if (isRefusal(err) && session.auth) { report(err, error); return; }
    error.textContent = err.message;
    markInvalidField(form, err);
  } finally {
    button.disabled = false;
  }
}

async function rotateKey(k) {
  if (!(await confirmAction(`Rotate key “${k.name || k.id}”? A new secret is made; the current one keeps working for one hour.`, 'Rotate'))) return;
  await keyAction(async () => {
    const rotated = await api(`levee/admin/keys/${encodeURIComponent(k.id)}/rotate`, { method: 'POST', body: { grace_seconds: 3600 } });
    showSecret(rotated, 'Rotated key', rotated.previous_key_valid_until ? `The previous secret works until ${fmtTime(rotated.previous_key_valid_until)}.` : '');
    say(`Key ${k.id} rotated. Copy its new secret now.`);
  });
}

async function revokeKey(k) {
  if (!(await confirmAction(`Revoke key “${k.name || k.id}”? Requests with it are refused at once; this cannot be undone.`, 'Revoke'))) return;
  await keyAction(async () => {
    await api(`levee/admin/keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
    say(`Key ${k.id} revoked.`);
  });
}

async function keyAction(action) {
  const section = $('#section-keys');
  try {
    await action();
    showError(section, '');
    await loadKeys();
  } catch (err) {
    report(err, section);
  }
}

/** Shows a secret the server will never show again, and moves the focus to its copy button. */
function showSecret(key, title, note) {
  $('#secret-title').textContent = title;
  $('#key-secret-id').textContent = key.id;
  $('#key-secret-note').textContent = note;
  $('#key-secret').textContent = key.key;
  $('#secret-box').hidden = false;
  $('#copy-secret').focus();
}

function hideSecret() {
  $('#key-secret').textContent = '';
  $('#secret-box').hidden = true;
}

async function copySecret() {
  const secret = $('#key-secret').textContent;
  try {
    await navigator.clipboard.writeText(secret);
    say('Secret copied to the clipboard.');
  } catch {
    // No clipboard API (a plain-http page that is not localhost): select it for a manual copy.
    const range = document.createRange();
    range.selectNodeContents($('#key-secret'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    say('Copying is not allowed here: the secret is selected, press Ctrl+C (⌘C) to copy it.');
  }
}

/** A modal yes/no on the native dialog element: Escape or Cancel answer no. */
function confirmAction(text, okLabel) {
  const dialog = $('#confirm-dialog');
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

function usageQuery() {
  const params = new URLSearchParams({ group_by: $('#usage-group').value });
  if ($('#usage-from').value) params.set('from', $('#usage-from').value);
  if ($('#usage-to').value) params.set('to', $('#usage-to').value);
  return `levee/admin/usage?${params}`;
}

async function showUsage(event) {
  event.preventDefault();
  const error = $('#usage-error');
  try {
    const report = await api(usageQuery());
    error.textContent = '';
    const group = report.group_by || $('#usage-group').value;
    $('#usage-group-head').textContent = group.charAt(0).toUpperCase() + group.slice(1);
    const rows = (report.data || []).map((u) => el('tr', { dataset: { testid: 'usage-row', group: u.group ?? '' } },
      td(u.group ?? '(none)'), td(fmtNum(u.requests), 'num'), td(fmtNum(u.errors), 'num'), td(fmtNum(u.prompt_tokens), 'num'),
      td(fmtNum(u.completion_tokens), 'num'), td(fmtUsd(u.cost_usd), 'num')));
    fillTable($('#usage-body'), rows, 'No usage in this period.');
    say(`Usage report: ${rows.length} row(s).`);
  } catch (err) {
    if (isRefusal(err) && session.auth) report(err, error);
    else error.textContent = err.message;
  }
}

/** The CSV comes through fetch (a plain link could not carry the Authorization header) and is saved as a Blob. */
async function exportUsage() {
  const error = $('#usage-error');
  try {
    const blob = await api(usageQuery(), { accept: 'text/csv' });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: `levee-usage-${$('#usage-group').value}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000); // give the download time to start
    error.textContent = '';
    say('Usage CSV downloaded.');
  } catch (err) {
    if (isRefusal(err) && session.auth) report(err, error);
    else error.textContent = err.message;
  }
}

// ---------------------------------------------------------------- alerts

async function loadAlerts() {
  const { data = [] } = await api('levee/alerts');
  const newest = [...data].sort((a, b) => String(b.last_seen).localeCompare(String(a.last_seen)));
  const rows = newest.map((a) => el('tr', { dataset: { testid: 'alert-row', kind: a.kind, severity: a.severity, key: a.key ?? '', resolved: String(Boolean(a.resolved)) } },
    el('td', {}, badge(a.severity)), td(a.kind), td(a.title, 'wrap'), td(a.text, 'wrap'),
    timeCell(a.first_seen), timeCell(a.last_seen), td(fmtNum(a.count), 'num'), td(a.resolved ? 'yes' : 'no')));
  fillTable($('#alerts-body'), rows, 'No alerts.');
}

// ---------------------------------------------------------------- start

function start() {
  $('#signin-form').addEventListener('submit', signIn);
  $('#signout').addEventListener('click', () => signOut(''));
  window.addEventListener('hashchange', () => route(true));
  $('#scope').addEventListener('change', renderTrafficCharts);
  $('#find-form').addEventListener('submit', (event) => { event.preventDefault(); showRequest($('#find-id').value.trim()); });
  // One listener for every row, present and future: a click anywhere on a row (or Enter on its button) opens it.
  $('#requests-body').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-request-id]');
    if (row) showRequest(row.dataset.requestId);
  });
  $('#key-form').addEventListener('submit', createKey);
  $('#copy-secret').addEventListener('click', copySecret);
  $('#hide-secret').addEventListener('click', hideSecret);
  $('#usage-form').addEventListener('submit', showUsage);
  $('#usage-export').addEventListener('click', exportUsage);
  // Poll again at once when the tab comes back, instead of showing minutes-old numbers for 3 s.
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && session.role) refreshNow(); });
  if (typeof echarts === 'undefined') {
    $('.charts').before(el('p', { class: 'notice' }, 'Charts are unavailable: vendor/echarts.min.js did not load. The tables still work.'));
  }
  session.key = sessionStorage.getItem(KEY_STORE);
  checkSession();
}

start();
