// The local runtime's console: renders the server-sent events of /_local/console/events and calls the control API.
// Plain DOM, no framework, no build step. Rows are kept by key and updated in place, so a button is never replaced
// under the pointer by the next snapshot.

const BASE = '/_local/console';
const $ = (selector) => document.querySelector(selector);

/** Creates an element with attributes and children (strings become text nodes: nothing is parsed as HTML). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

// ---- errors: problem+json (and the control API's { message }) as readable lines ---------------------------------

function showError(title, detail) {
  const line = el('div', { class: 'error', 'data-testid': 'error' }, el('strong', {}, title), el('span', {}, detail ?? ''), el('button', { onclick: () => line.remove() }, 'dismiss'));
  $('#errors').prepend(line);
  while ($('#errors').children.length > 5) $('#errors').lastElementChild.remove();
}

/** Calls the runtime; an answer that is not 2xx is shown as an error and rejects. */
async function call(method, url, body) {
  // The edge takes a control call that may change state (DELETE included) only as JSON.
  const response = await fetch(url, {
    method,
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const title = parsed?.title ?? `${method} ${url} answered ${response.status}`;
    const detail = parsed?.detail ?? parsed?.message ?? (typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
    showError(title, [detail, ...(parsed?.problems ?? [])].filter(Boolean).join('; '));
    throw new Error(title);
  }
  return parsed;
}

// ---- formatting ------------------------------------------------------------------------------------------------

let stackName = '';
/** A resource's name without the stack's prefix and CDK's hash: the full name stays in the row's title. */
const short = (name) => name.replace(new RegExp(`^${stackName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[-/]`), '').replace(/(-?[0-9A-F]{8}|-[0-9a-f]{8})$/, '');

const ms = (value) => (value === undefined ? '–' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);
const seconds = (value) => (value >= 60 ? `${Math.floor(value / 60)} min ${Math.round(value % 60)} s` : `${value} s`);
const clock = (epochMs) => new Date(epochMs).toLocaleTimeString();
const since = (epochMs) => {
  const s = Math.max(0, Math.round((Date.now() - epochMs) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
};

/** Keeps one row per key in `tbody`, in `keys` order: built once, updated on every snapshot. */
function syncRows(tbody, items, keyOf, build, update) {
  const existing = new Map([...tbody.children].map((row) => [row.dataset.key, row]));
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    let row = existing.get(key);
    if (row === undefined) {
      row = build(item);
      row.dataset.key = key;
    }
    existing.delete(key);
    update(row, item);
    const expected = previous === null ? tbody.firstElementChild : previous.nextElementSibling;
    if (expected !== row) tbody.insertBefore(row, expected);
    previous = row;
  }
  for (const row of existing.values()) row.remove();
}

function setCells(row, values) {
  values.forEach((value, index) => {
    const cell = row.children[index];
    if (value instanceof Node) {
      if (cell.firstChild !== value) cell.replaceChildren(value);
    } else if (cell.textContent !== String(value)) cell.textContent = String(value);
  });
}

// ---- orders ----------------------------------------------------------------------------------------------------

const orders = new Map(); // orderId → { order, hops: [] }

function hopLabel(hop) {
  const from = short(hop.from);
  const to = short(hop.to);
  switch (hop.kind) {
    case 'client':
      return `client: ${hop.to}`;
    case 'sync':
      return `API ${from} → ${to}`;
    case 'publish':
      return `PutEvents ${hop.detailType ?? ''} → ${to}`;
    case 'delivery':
      return `rule: ${hop.detailType ?? 'event'} → ${to}`;
    case 'consume':
      return hop.via === 'sqs' ? `queue wait ${from} → ${to}` : hop.via === 'kinesis' ? `log ${from} → ${to}` : `async invoke → ${to}`;
    default:
      return `${from} → ${to}`;
  }
}

function renderOrder(entry) {
  const { order, hops } = entry;
  const good = order.status === 201 || order.status === 202;
  const start = Math.min(order.startedAt, ...hops.map((hop) => hop.at - hop.latencyMs));
  const end = Math.max(start + 50, ...hops.map((hop) => hop.at));
  const span = end - start;
  const sorted = [...hops].sort((a, b) => a.at - a.latencyMs - (b.at - b.latencyMs));
  const node = el(
    'li',
    { class: 'order', 'data-testid': 'order', 'data-order-id': order.orderId, 'data-mode': order.mode, 'data-status': order.status },
    el(
      'header',
      {},
      el('span', { class: `status ${good ? 'good' : 'bad'}` }, String(order.status)),
      el('code', {}, order.orderId.startsWith('failed-') ? 'no order' : order.orderId.slice(0, 13)),
      el('span', { class: 'muted' }, `client ${ms(order.latencyMs)} · ${hops.length} hops · ${clock(order.startedAt)}`),
    ),
    order.problem ? el('div', { class: 'problem' }, order.problem) : undefined,
    el(
      'ol',
      { class: 'hops' },
      sorted.map((hop) => {
        const left = ((hop.at - hop.latencyMs - start) / span) * 100;
        const width = (hop.latencyMs / span) * 100;
        return el(
          'li',
          { class: 'hop', 'data-testid': 'hop', 'data-kind': hop.kind, title: `${hopLabel(hop)}: ${ms(hop.latencyMs)}${hop.sincePutEventsMs !== undefined ? `, ${ms(hop.sincePutEventsMs)} after PutEvents` : ''}` },
          el('span', { class: 'label' }, hopLabel(hop)),
          el('span', { class: 'track' }, el('span', { class: 'bar', style: `left:${left.toFixed(2)}%;width:${width.toFixed(2)}%` })),
          el('span', { class: 'ms' }, ms(hop.latencyMs)),
        );
      }),
    ),
  );
  return node;
}

function drawOrder(orderId) {
  const entry = orders.get(orderId);
  if (entry?.order === undefined) return;
  const list = entry.order.mode === 'async' ? $('#orders-async') : $('#orders-sync');
  const fresh = renderOrder(entry);
  if (entry.node?.isConnected) entry.node.replaceWith(fresh);
  else list.prepend(fresh);
  entry.node = fresh;
  while (list.children.length > 20) list.lastElementChild.remove();
}

const pendingDraws = new Set();
function scheduleDraw(orderId) {
  if (pendingDraws.size === 0) requestAnimationFrame(() => {
    for (const id of pendingDraws) drawOrder(id);
    pendingDraws.clear();
  });
  pendingDraws.add(orderId);
}

function entryOf(orderId) {
  let entry = orders.get(orderId);
  if (entry === undefined) {
    entry = { order: undefined, hops: [] };
    orders.set(orderId, entry);
  }
  return entry;
}

async function placeOrders(mode) {
  const count = Math.min(20, Math.max(1, Number($('#order-count').value) || 1));
  const button = mode === 'sync' ? $('#place-sync') : $('#place-async');
  button.disabled = true;
  try {
    await Promise.all(Array.from({ length: count }, () => call('POST', `${BASE}/orders`, { mode }).catch(() => undefined)));
  } finally {
    button.disabled = false;
  }
}

// ---- queues, streams, alarms, functions ------------------------------------------------------------------------

function mappingButton(mapping) {
  const button = el('button', {
    'data-testid': 'mapping-toggle',
    onclick: async () => {
      button.disabled = true;
      try {
        await call('POST', `/_local/event-source-mappings/${encodeURIComponent(mapping.logicalId)}`, { enabled: button.dataset.enabled !== 'true' });
      } catch {
        // shown by call()
      } finally {
        button.disabled = false;
      }
    },
  });
  return button;
}

function renderQueues(queues) {
  syncRows(
    $('#queues tbody'),
    queues,
    (q) => q.name,
    (q) => {
      const row = el('tr', { 'data-testid': 'queue', 'data-queue': q.name, title: q.name }, el('td', { class: 'name' }), el('td', { class: 'num' }), el('td', { class: 'num' }), el('td', { class: 'num' }), el('td', { class: 'num' }), el('td'), el('td'));
      row.children[0].append(el('span', {}, short(q.name)), q.dlq ? el('span', { class: 'badge dlq' }, 'DLQ') : '');
      if (q.consumer) row.children[5].append(el('span', { class: 'mapping-state' }), ' ', mappingButton(q.consumer));
      if (q.redrivesTo.length > 0) {
        const button = el('button', {
          'data-testid': 'redrive',
          title: `move its messages back to ${q.redrivesTo.join(', ')}`,
          onclick: async () => {
            button.disabled = true;
            try {
              await call('POST', `${BASE}/redrive`, { queue: q.name });
            } catch {
              // shown by call()
            } finally {
              button.disabled = false;
            }
          },
        }, 'Redrive');
        row.children[6].append(button);
      }
      return row;
    },
    (row, q) => {
      setCells(row, [row.children[0].firstChild, q.visible, q.inFlight, q.delayed, q.oldestAgeSeconds > 0 ? seconds(q.oldestAgeSeconds) : '–']);
      row.dataset.depth = String(q.visible);
      row.classList.toggle('busy', q.dlq && q.visible > 0);
      if (q.consumer) {
        const state = row.querySelector('.mapping-state');
        state.textContent = q.consumer.enabled ? 'polling' : 'paused';
        state.className = `mapping-state${q.consumer.enabled ? '' : ' badge paused'}`;
        const button = row.querySelector('[data-testid="mapping-toggle"]');
        button.dataset.enabled = String(q.consumer.enabled);
        button.textContent = q.consumer.enabled ? 'Pause' : 'Resume';
      }
    },
  );
}

function renderStreams(streams) {
  syncRows(
    $('#streams tbody'),
    streams,
    (s) => s.name,
    () => el('tr', { 'data-testid': 'stream' }, el('td', { class: 'name' }), el('td', { class: 'num' }), el('td', { class: 'name' })),
    (row, s) => setCells(row, [short(s.name), ms(s.iteratorAgeMs), s.consumers.map((c) => `${c.logicalId.replace(/[0-9A-F]{8}$/, '')}${c.enabled ? '' : ' (paused)'}`).join(', ') || '–']),
  );
}

const STATE_ORDER = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

function renderAlarms(alarms, transitions) {
  const sorted = [...alarms].sort((a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3) || a.name.localeCompare(b.name));
  syncRows(
    $('#alarms tbody'),
    sorted,
    (a) => a.name,
    (a) => el('tr', { 'data-testid': 'alarm', 'data-alarm': a.name }, el('td', { class: 'name' }), el('td'), el('td', { class: 'muted' })),
    (row, a) => {
      row.dataset.state = a.state;
      row.title = a.reason ?? '';
      const label = `${short(a.name)}${a.kind === 'composite' ? ' (composite)' : ''}`;
      setCells(row, [label]);
      let badge = row.children[1].firstChild;
      if (badge === null) {
        badge = el('span', { class: 'state' });
        row.children[1].append(badge);
      }
      badge.dataset.state = a.state;
      badge.textContent = a.state;
      row.children[2].textContent = since(a.updatedAt);
    },
  );
  $('#transitions').replaceChildren(
    ...transitions.slice(0, 50).map((t) => el('li', { 'data-testid': 'transition', title: t.name }, `${clock(t.at)}  ${short(t.name)}: ${t.from} → `, el('span', { class: 'state', 'data-state': t.to }, t.to))),
  );
}

function faultText(fault) {
  if (!fault) return '';
  const parts = [];
  if (fault.delayMs) parts.push(`+${fault.delayMs} ms`);
  if (fault.error) parts.push('fails');
  if (fault.percentage !== undefined && fault.percentage !== 100) parts.push(`${fault.percentage} %`);
  return parts.join(', ') || JSON.stringify(fault);
}

function faultButtons(fn) {
  const send = (method, body) => async (event) => {
    event.target.disabled = true;
    try {
      await call(method, `/_local/faults/${encodeURIComponent(fn.logicalId)}`, body);
    } catch {
      // shown by call()
    } finally {
      event.target.disabled = false;
    }
  };
  return [
    el('button', { 'data-testid': 'slow', onclick: (event) => send('POST', { delayMs: Number($('#fault-delay').value) })(event) }, 'Slow'),
    ' ',
    el('button', { 'data-testid': 'fail', onclick: send('POST', { error: true }) }, 'Fail'),
    ' ',
    el('button', { 'data-testid': 'clear', onclick: send('DELETE') }, 'Clear'),
  ];
}

function renderFunctions(functions) {
  syncRows(
    $('#functions tbody'),
    functions,
    (f) => f.logicalId,
    (f) => {
      const row = el('tr', { 'data-testid': 'function', 'data-function': f.label }, el('td', { class: 'name' }), ...Array.from({ length: 6 }, () => el('td', { class: 'num' })), el('td', { class: 'fault' }), el('td'));
      row.children[8].append(...faultButtons(f));
      return row;
    },
    (row, f) => {
      setCells(row, [f.label, f.invocations, f.errors, f.coldStarts, ms(f.p50Ms), ms(f.p99Ms), `${f.busy} busy / ${f.environments}`, faultText(f.fault)]);
      row.classList.toggle('busy', f.fault !== undefined);
    },
  );
}

// ---- the event stream ------------------------------------------------------------------------------------------

function connect() {
  const source = new EventSource(`${BASE}/events`);
  const status = $('#connection');
  source.addEventListener('open', () => {
    status.dataset.state = 'live';
    status.textContent = 'live';
  });
  source.addEventListener('error', () => {
    status.dataset.state = 'lost';
    status.textContent = 'reconnecting…';
  });
  source.addEventListener('hello', (event) => {
    const facts = JSON.parse(event.data);
    stackName = facts.stackName;
    $('#stack-name').textContent = facts.stackName;
    document.title = `${facts.stackName} · local console`;
    $('#time-scale').textContent = facts.timeScale === 1 ? 'real time' : `time scale ${facts.timeScale}`;
    $('#contracts-link').href = facts.contractsPath;
  });
  source.addEventListener('orders', (event) => {
    const known = JSON.parse(event.data);
    for (const order of known.orders) entryOf(order.orderId).order = order;
    for (const { orderId, hops } of known.hops) entryOf(orderId).hops = hops;
    for (const order of known.orders) drawOrder(order.orderId);
  });
  source.addEventListener('order', (event) => {
    const order = JSON.parse(event.data);
    entryOf(order.orderId).order = order;
    scheduleDraw(order.orderId);
  });
  source.addEventListener('hop', (event) => {
    const { orderId, hop } = JSON.parse(event.data);
    entryOf(orderId).hops.push(hop);
    scheduleDraw(orderId);
  });
  source.addEventListener('snapshot', (event) => {
    const snapshot = JSON.parse(event.data);
    renderQueues(snapshot.queues);
    renderStreams(snapshot.streams);
    renderAlarms(snapshot.alarms, snapshot.transitions);
    renderFunctions(snapshot.functions);
    document.body.dataset.snapshotAt = String(snapshot.at);
  });
}

$('#place-sync').addEventListener('click', () => void placeOrders('sync'));
$('#place-async').addEventListener('click', () => void placeOrders('async'));
connect();
