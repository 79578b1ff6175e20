// Stator status page. Polls GET /v1/status every second; every counter there is cumulative, so rates and
// interval latencies come from the difference of two polls. Charts are drawn on <canvas> by the code below
// (no library). Built for 100+ function types: tables scroll, sort and filter; charts show the top 5 by
// throughput, or the rows the user pinned.
//
// For tests and scripts the page reports itself on <body>: data-ready="true" once two polls have been
// rendered, plus data-updates, data-function-rows, data-partition-rows, data-endpoint-rows,
// data-chart-series and data-chart-points.
'use strict';

(function () {
  const POLL_MS = 1000;
  const HISTORY = 120;           // points kept per series: two minutes at one poll per second
  const TOP_N = 5;
  const BUCKETS = 40;            // latency bucket i holds calls of [2^i, 2^(i+1)) ns
  const PALETTE = ['#2f6fde', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#1098ad', '#5c940d', '#d6336c',
    '#364fc7', '#862e9c'];

  const state = {
    prev: null,
    times: [],
    series: new Map(),          // type -> {rate: [], latency: []}, aligned with times
    pinned: new Set(),
    colors: new Map(),
    nextColor: 0,
    filter: '',
    mode: 'top',
    sort: {
      functions: {key: 'rate', dir: -1},
      partitions: {key: 'id', dir: 1},
      endpoints: {key: 'functions', dir: 1},
    },
    last: null,                 // the rows of the last render, to re-render on sort or filter
    updates: 0,
  };

  // ---- formatting -------------------------------------------------------------------------------------------

  const intFormat = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

  function fmtInt(n) {
    return n == null || n < 0 || !isFinite(n) ? '–' : intFormat.format(n);
  }

  function fmtRate(r) {
    if (r == null || !isFinite(r)) return '–';
    if (r >= 100) return intFormat.format(r);
    return r.toFixed(r >= 10 ? 1 : 2);
  }

  function fmtMs(ms) {
    if (ms == null || !isFinite(ms)) return '–';
    if (ms >= 100) return intFormat.format(ms);
    if (ms >= 1) return ms.toFixed(2);
    return ms.toPrecision(2);
  }

  function fmtBytes(b) {
    if (b == null || b < 0) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i === 0 ? b : b.toFixed(1)) + ' ' + units[i];
  }

  // ---- arithmetic on status documents -----------------------------------------------------------------------

  /** @return the upper bound, in ms, of the bucket holding quantile q of the bucket counts; null if empty */
  function quantileMs(buckets, q) {
    let total = 0;
    for (const c of buckets) total += c;
    if (total === 0) return null;
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) return Math.pow(2, i + 1) / 1e6;
    }
    return Math.pow(2, BUCKETS) / 1e6;
  }

  function byKey(list, key) {
    const map = new Map();
    if (list) for (const item of list) map.set(item[key], item);
    return map;
  }

  /** Turns two cumulative documents into display rows with rates (null rates on the first poll). */
  function deriveRows(cur, prev) {
    const dt = prev ? (cur.time - prev.time) / 1000 : 0;
    const rate = (now, before) => (dt > 0 && before != null ? Math.max(0, now - before) / dt : null);
    const prevFunctions = byKey(prev && prev.functions, 'type');
    const functions = cur.functions.map(f => {
      const p = prevFunctions.get(f.type);
      const dCount = p ? f.latency.count - p.latency.count : 0;
      const dSum = p ? f.latency.sumNanos - p.latency.sumNanos : 0;
      return {
        type: f.type, kind: f.kind,
        rate: rate(f.messagesIn, p ? p.messagesIn : null),
        messagesIn: f.messagesIn, sentLocal: f.sentLocal, sentRemote: f.sentRemote, egress: f.egress,
        failures: f.failures, deadLettered: f.deadLettered,
        meanMs: f.latency.count > 0 ? f.latency.sumNanos / f.latency.count / 1e6 : null,
        p99Ms: quantileMs(f.latency.buckets, 0.99),
        intervalMeanMs: dCount > 0 ? dSum / dCount / 1e6 : null,
      };
    });
    const prevPartitions = byKey(prev && prev.partitions, 'id');
    const end = cur.ingress ? cur.ingress.endPosition : -1;
    const partitions = cur.partitions.map(p => {
      const q = prevPartitions.get(p.id);
      const busy = dt > 0 && q ? Math.min(100, (p.busyNanos - q.busyNanos) / (dt * 1e9) * 100) : null;
      return {
        id: p.id, keyGroups: p.keyGroups, rate: rate(p.messagesIn, q ? q.messagesIn : null),
        messagesIn: p.messagesIn, inboxBytes: p.inboxBytes, overflow: p.overflow,
        backlog: end >= 0 && p.ingressPosition >= 0 ? Math.max(0, end - p.ingressPosition) : null,
        backpressured: p.backpressured ? 'yes' : 'no', busy: busy, maxCycleMs: p.maxCycleNanos / 1e6,
        epoch: p.epoch, remoteInFlight: p.remoteInFlight, remoteQueued: p.remoteQueued,
        cacheHit: p.cacheHitRate == null ? null : p.cacheHitRate * 100, deadLettered: p.deadLettered,
      };
    });
    const prevEndpoints = byKey(prev && prev.endpoints, 'functions');
    const endpoints = cur.endpoints.map(e => {
      const q = prevEndpoints.get(e.functions);
      return {
        functions: e.functions, url: e.url, types: e.types.length, typeNames: e.types,
        rate: rate(e.messagesIn, q ? q.messagesIn : null), messagesIn: e.messagesIn, deadLettered: e.deadLettered,
        callTimeoutMillis: e.callTimeoutMillis,
      };
    });
    return {dt: dt, functions: functions, partitions: partitions, endpoints: endpoints};
  }

  // ---- history and chart selection ---------------------------------------------------------------------------

  function record(time, functionRows) {
    state.times.push(time);
    const seen = new Set();
    for (const f of functionRows) {
      let s = state.series.get(f.type);
      if (!s) {
        s = {rate: new Array(state.times.length - 1).fill(null), latency: new Array(state.times.length - 1).fill(null)};
        state.series.set(f.type, s);
      }
      s.rate.push(f.rate);
      s.latency.push(f.intervalMeanMs);
      seen.add(f.type);
    }
    for (const [type, s] of state.series) {
      if (!seen.has(type)) { s.rate.push(null); s.latency.push(null); }
    }
    if (state.times.length > HISTORY) {
      state.times.shift();
      for (const s of state.series.values()) { s.rate.shift(); s.latency.shift(); }
    }
  }

  function chartedTypes(functionRows) {
    const pinned = functionRows.filter(f => state.pinned.has(f.type)).map(f => f.type);
    if (state.mode === 'pinned') return pinned;
    const top = functionRows.slice()
      .sort((a, b) => (b.rate || 0) - (a.rate || 0) || b.messagesIn - a.messagesIn)
      .map(f => f.type)
      .filter(t => !state.pinned.has(t));
    return pinned.concat(top).slice(0, Math.max(TOP_N, pinned.length));
  }

  function colorOf(type) {
    if (!state.colors.has(type)) {
      state.colors.set(type, PALETTE[state.nextColor % PALETTE.length]);
      state.nextColor++;
    }
    return state.colors.get(type);
  }

  // ---- charts --------------------------------------------------------------------------------------------------

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  /** Draws one line per type; @return how many points were drawn */
  function drawChart(canvas, types, pick, format) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, canvas.clientWidth || 600);
    const h = Math.max(120, canvas.clientHeight || 220);
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const left = 56, right = 10, top = 10, bottom = 24;
    const plotW = w - left - right, plotH = h - top - bottom;
    let max = 0;
    for (const t of types) {
      for (const v of pick(state.series.get(t) || {rate: [], latency: []})) if (v != null && v > max) max = v;
    }
    max = niceMax(max);
    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#e3e6eb';
    g.fillStyle = '#6b7280';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = top + plotH - (plotH * i) / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + plotW, y); g.stroke();
      g.fillText(format((max * i) / 4), left - 6, y);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const span = HISTORY - 1;
    for (const ago of [120, 90, 60, 30, 0]) {
      const x = left + plotW - (plotW * ago) / span;
      g.fillText(ago === 0 ? 'now' : '-' + ago + 's', Math.max(left + 12, x), top + plotH + 6);
    }
    let points = 0;
    const n = state.times.length;
    for (const t of types) {
      const values = pick(state.series.get(t) || {rate: [], latency: []});
      g.strokeStyle = colorOf(t);
      g.lineWidth = 2;
      g.beginPath();
      let drawing = false;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v == null) { drawing = false; continue; }
        const x = left + plotW - (plotW * (n - 1 - i)) / span;
        const y = top + plotH - (plotH * Math.min(v, max)) / max;
        if (drawing) g.lineTo(x, y); else g.moveTo(x, y);
        drawing = true;
        points++;
      }
      g.stroke();
    }
    if (points === 0) {
      g.fillStyle = '#6b7280';
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(types.length === 0 ? 'no function type to show' : 'waiting for traffic…', left + plotW / 2, top + plotH / 2);
    }
    return points;
  }

  function renderLegend(types) {
    const legend = document.getElementById('legend');
    legend.replaceChildren();
    for (const t of types) {
      const item = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colorOf(t);
      item.append(swatch, document.createTextNode(t + (state.pinned.has(t) ? ' (pinned)' : '')));
      legend.append(item);
    }
  }

  // ---- tables --------------------------------------------------------------------------------------------------

  function compare(key, dir) {
    return (a, b) => {
      const x = a[key], y = b[key];
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return String(x).localeCompare(String(y)) * dir;
    };
  }

  function cell(text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  }

  function fillTable(id, rows, sortState, columns, decorate) {
    const table = document.getElementById(id);
    const sorted = rows.slice().sort(compare(sortState.key, sortState.dir));
    const body = document.createDocumentFragment();
    for (const row of sorted) {
      const tr = document.createElement('tr');
      for (const [key, format, cls] of columns) {
        tr.append(cell(format(row[key], row), typeof cls === 'function' ? cls(row) : cls));
      }
      if (decorate) decorate(tr, row);
      body.append(tr);
    }
    table.tBodies[0].replaceChildren(body);
    for (const th of table.tHead.rows[0].cells) {
      th.classList.toggle('sorted-asc', th.dataset.key === sortState.key && sortState.dir > 0);
      th.classList.toggle('sorted-desc', th.dataset.key === sortState.key && sortState.dir < 0);
    }
    return sorted.length;
  }

  const same = v => (v == null ? '–' : String(v));
  const FUNCTION_COLUMNS = [
    ['type', same], ['kind', same], ['rate', fmtRate, 'num'], ['messagesIn', fmtInt, 'num'],
    ['sentLocal', fmtInt, 'num'], ['sentRemote', fmtInt, 'num'], ['egress', fmtInt, 'num'],
    ['failures', fmtInt, r => (r.failures > 0 ? 'num warn' : 'num')],
    ['deadLettered', fmtInt, r => (r.deadLettered > 0 ? 'num bad' : 'num')],
    ['meanMs', fmtMs, 'num'], ['p99Ms', fmtMs, 'num'],
  ];
  const PARTITION_COLUMNS = [
    ['id', same, 'num'], ['keyGroups', same], ['rate', fmtRate, 'num'], ['messagesIn', fmtInt, 'num'],
    ['inboxBytes', fmtBytes, 'num'], ['overflow', fmtInt, r => (r.overflow > 0 ? 'num warn' : 'num')],
    ['backlog', fmtInt, 'num'], ['backpressured', same, r => (r.backpressured === 'yes' ? 'bad' : '')],
    ['busy', v => (v == null ? '–' : v.toFixed(1)), 'num'], ['maxCycleMs', fmtMs, 'num'], ['epoch', fmtInt, 'num'],
    ['remoteInFlight', fmtInt, 'num'], ['remoteQueued', fmtInt, 'num'],
    ['cacheHit', v => (v == null ? '–' : v.toFixed(1)), 'num'],
    ['deadLettered', fmtInt, r => (r.deadLettered > 0 ? 'num bad' : 'num')],
  ];
  const ENDPOINT_COLUMNS = [
    ['functions', same], ['url', same], ['types', fmtInt, 'num'], ['rate', fmtRate, 'num'],
    ['messagesIn', fmtInt, 'num'], ['deadLettered', fmtInt, r => (r.deadLettered > 0 ? 'num bad' : 'num')],
    ['callTimeoutMillis', fmtInt, 'num'],
  ];

  function renderTables(rows) {
    const filter = state.filter.trim().toLowerCase();
    const visible = filter ? rows.functions.filter(f => f.type.toLowerCase().includes(filter)) : rows.functions;
    const charted = new Set(chartedTypes(rows.functions));
    const functionRows = fillTable('functions', visible, state.sort.functions, FUNCTION_COLUMNS, (tr, row) => {
      tr.classList.toggle('pinned', state.pinned.has(row.type));
      tr.classList.toggle('hot', charted.has(row.type));
      tr.dataset.type = row.type;
      tr.title = 'click to ' + (state.pinned.has(row.type) ? 'unpin from' : 'pin to') + ' the charts';
    });
    document.getElementById('function-count').textContent =
      '(' + (filter ? visible.length + ' of ' : '') + rows.functions.length + ')';
    const partitionRows = fillTable('partitions', rows.partitions, state.sort.partitions, PARTITION_COLUMNS);
    const endpointRows = fillTable('endpoints', rows.endpoints, state.sort.endpoints, ENDPOINT_COLUMNS, (tr, row) => {
      tr.title = row.typeNames.length ? 'types seen: ' + row.typeNames.join(', ') : 'no traffic yet';
    });
    document.getElementById('endpoints-empty').hidden = rows.endpoints.length > 0;
    return {functionRows: functionRows, partitionRows: partitionRows, endpointRows: endpointRows};
  }

  // ---- the other sections ---------------------------------------------------------------------------------------

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function renderCards(cur, prev, rows) {
    const total = rows.partitions.reduce((sum, p) => sum + p.messagesIn, 0);
    const rate = rows.dt > 0 ? rows.partitions.reduce((sum, p) => sum + (p.rate || 0), 0) : null;
    setText('card-throughput', fmtRate(rate));
    setText('card-processed', fmtInt(total));
    setText('card-dead-letters', fmtInt(cur.deadLetters));
    const deadRate = prev && rows.dt > 0 ? Math.max(0, cur.deadLetters - prev.deadLetters) / rows.dt : null;
    setText('card-dead-letter-rate', (deadRate == null ? '–' : fmtRate(deadRate)) + ' per second');
    document.getElementById('card-dead-letters').parentElement.classList.toggle('alert', cur.deadLetters > 0);
    setText('card-epoch', cur.committedEpoch < 0 ? 'none yet' : fmtInt(cur.committedEpoch));
    setText('card-partitions', fmtInt(cur.partitions.length));
    const pressed = cur.partitions.filter(p => p.backpressured).length;
    setText('card-backpressure', pressed > 0 ? pressed + ' backpressured' : 'none backpressured');
    setText('card-remote', fmtInt(cur.remote.inFlight));
    setText('card-remote-queued', fmtInt(cur.remote.queued) + ' queued');
  }

  function renderRemoteHealth(cur, prev) {
    const r = cur.remote;
    const p = prev ? prev.remote : null;
    const dFailures = p ? r.batchFailures - p.batchFailures : 0;
    const dRetries = p ? r.retries - p.retries : 0;
    const badge = document.getElementById('remote-health');
    if (cur.endpoints.length === 0 && r.batchesSent === 0) {
      badge.textContent = '';
      badge.className = 'badge';
    } else if (dFailures > 0) {
      badge.textContent = 'failing: ' + dFailures + ' batches failed in the last poll';
      badge.className = 'badge bad';
    } else if (dRetries > 0) {
      badge.textContent = 'retrying: ' + dRetries + ' retries in the last poll';
      badge.className = 'badge warn';
    } else {
      badge.textContent = 'healthy';
      badge.className = 'badge ok';
    }
    setText('remote-summary', 'in flight ' + fmtInt(r.inFlight) + ' · queued ' + fmtInt(r.queued) + ' · batches sent '
      + fmtInt(r.batchesSent) + ' · retries ' + fmtInt(r.retries) + ' · batch failures ' + fmtInt(r.batchFailures)
      + ' · dead-lettered ' + fmtInt(r.deadLettered) + ' · state round trips ' + fmtInt(r.stateRoundTrips));
  }

  function renderSnapshots(cur) {
    const last = cur.snapshot;
    const any = last.lastId >= 0 || last.failures > 0;
    document.getElementById('snapshots-empty').hidden = any;
    const summary = document.getElementById('snapshot-summary');
    summary.hidden = !any;
    if (last.lastId >= 0) {
      summary.textContent = 'Last snapshot ' + last.lastId + ', completed '
        + new Date(last.completedAtMillis).toLocaleTimeString() + ': took ' + fmtMs(last.durationNanos / 1e6)
        + ' ms, ' + fmtBytes(last.bytes) + ', longest partition pause ' + fmtMs(last.pauseNanos / 1e6) + ' ms.'
        + (last.failures > 0 ? ' ' + last.failures + ' failed since start; last: ' + last.lastFailure : '');
    } else if (last.failures > 0) {
      summary.textContent = last.failures + ' snapshots failed and none completed; last: ' + last.lastFailure;
    }
    const health = document.getElementById('snapshot-health');
    health.textContent = !any ? '' : last.failures > 0 ? last.failures + ' failed' : 'ok';
    health.className = 'badge' + (!any ? '' : last.failures > 0 ? ' warn' : ' ok');
    const has = cur.snapshots.length > 0;
    document.getElementById('snapshots-table').hidden = !has;
    const body = document.createDocumentFragment();
    for (const s of cur.snapshots) {
      const tr = document.createElement('tr');
      tr.append(cell(String(s.partition), 'num'), cell(fmtInt(s.completed), 'num'),
        cell(fmtInt(s.failed), s.failed > 0 ? 'num bad' : 'num'), cell(fmtBytes(s.lastBytes), 'num'),
        cell(fmtMs(s.lastPauseNanos / 1e6), 'num'), cell(fmtMs(s.lastUploadNanos / 1e6), 'num'));
      body.append(tr);
    }
    document.querySelector('#snapshots tbody').replaceChildren(body);
  }

  function renderLogs(cur) {
    if (cur.ingress) {
      setText('ingress-summary', 'Ingress log: end position ' + fmtInt(cur.ingress.endPosition)
        + ', oldest kept ' + fmtInt(cur.ingress.firstPosition) + '.');
    }
    const body = document.createDocumentFragment();
    for (const e of cur.egress) {
      const tr = document.createElement('tr');
      tr.append(cell(e.egress), cell(fmtInt(e.endOffset), 'num'),
        cell(e.lastCommittedEpoch < 0 ? 'none' : fmtInt(e.lastCommittedEpoch), 'num'));
      body.append(tr);
    }
    document.querySelector('#egress tbody').replaceChildren(body);
  }

  // ---- one update ------------------------------------------------------------------------------------------------

  function render() {
    const s = state.last;
    if (!s) return;
    const types = chartedTypes(s.rows.functions);
    const points = drawChart(document.getElementById('chart-throughput'), types, x => x.rate, fmtRate)
      + drawChart(document.getElementById('chart-latency'), types, x => x.latency, fmtMs);
    renderLegend(types);
    setText('chart-note', state.mode === 'pinned' && types.length === 0 ? 'pin rows in the table below' : '');
    const counts = renderTables(s.rows);
    const body = document.body.dataset;
    body.functionRows = counts.functionRows;
    body.partitionRows = counts.partitionRows;
    body.endpointRows = counts.endpointRows;
    body.chartSeries = types.length;
    body.chartPoints = points;
  }

  function update(cur) {
    const prev = state.prev;
    const rows = deriveRows(cur, prev);
    if (prev) record(cur.time, rows.functions);
    state.last = {cur: cur, rows: rows};
    renderCards(cur, prev, rows);
    renderRemoteHealth(cur, prev);
    renderSnapshots(cur);
    renderLogs(cur);
    render();
    state.prev = cur;
    state.updates++;
    document.body.dataset.updates = state.updates;
    if (state.updates >= 2) document.body.dataset.ready = 'true';
    const badge = document.getElementById('connection');
    badge.textContent = 'live';
    badge.className = 'badge ok';
    setText('updated', 'updated ' + new Date(cur.time).toLocaleTimeString());
  }

  function poll() {
    fetch('/v1/status', {cache: 'no-store'})
      .then(r => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(update)
      .catch(e => {
        const badge = document.getElementById('connection');
        badge.textContent = 'disconnected (' + e.message + ')';
        badge.className = 'badge bad';
      })
      .finally(() => setTimeout(poll, POLL_MS));
  }

  // ---- interaction -----------------------------------------------------------------------------------------------

  function sortable(tableId, sortState) {
    document.getElementById(tableId).tHead.addEventListener('click', ev => {
      const th = ev.target.closest('th');
      if (!th || !th.dataset.key) return;
      if (sortState.key === th.dataset.key) sortState.dir = -sortState.dir;
      else { sortState.key = th.dataset.key; sortState.dir = th.classList.contains('num') ? -1 : 1; }
      render();
    });
  }

  sortable('functions', state.sort.functions);
  sortable('partitions', state.sort.partitions);
  sortable('endpoints', state.sort.endpoints);
  document.querySelector('#functions tbody').addEventListener('click', ev => {
    const tr = ev.target.closest('tr');
    if (!tr || !tr.dataset.type) return;
    if (state.pinned.has(tr.dataset.type)) state.pinned.delete(tr.dataset.type);
    else state.pinned.add(tr.dataset.type);
    render();
  });
  document.getElementById('function-filter').addEventListener('input', ev => {
    state.filter = ev.target.value;
    render();
  });
  document.getElementById('chart-mode').addEventListener('change', ev => {
    state.mode = ev.target.value;
    render();
  });
  window.addEventListener('resize', render);

  poll();
})();
