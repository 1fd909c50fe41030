// stormwatch live page: speaks the websocket feed protocol (docs/websocket.md). Plain browser
// JavaScript, no build step. Optional URL parameters: ?token=… (when the server requires one),
// ?keys=a,b  ?types=storm.started,…  ?minSeverity=50 (the subscription).
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const list = (name) => (params.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  const subscription = {};
  if (list('keys').length) subscription.keys = list('keys');
  if (list('types').length) subscription.types = list('types');
  if (params.get('minSeverity')) subscription.minSeverity = Math.max(0, Math.min(100, Number(params.get('minSeverity')) | 0));

  const MAX_TIMELINE = 200;
  const $ = (id) => document.getElementById(id);
  const cards = $('cards');
  const timeline = $('timeline');

  /** Feed state: episodes by id (their latest event), the last seq processed and the feed it came from. */
  const active = new Map();
  let lastSeq = null;
  let feedId = null;
  let heartbeatMs = 15000;
  let socket = null;
  let attempt = 0;
  let watchdog = null;
  let reconnectTimer = null;
  let stopped = false;

  // ---- formatting -------------------------------------------------------------------------
  const pct = (x) => `${Math.round(x * 100)}%`;
  const num = (x) => (x >= 100 ? Math.round(x).toLocaleString('en') : (Math.round(x * 10) / 10).toLocaleString('en'));
  const ratio = (x) => `×${x >= 10 ? Math.round(x) : (Math.round(x * 10) / 10)}`;
  const time = (iso) => { const d = new Date(iso); return isNaN(d) ? '' : d.toISOString().slice(11, 16); };
  const day = (iso) => { const d = new Date(iso); return isNaN(d) ? '' : d.toISOString().slice(0, 10); };
  // The level an episode opened as is the first part of its id (docs/alert-topic.md).
  const openedAs = (e) => e.episodeId.slice(0, e.episodeId.indexOf('-'));
  // "level changed" names the change: "surge → storm".
  const action = (e) => (e.type === 'storm.level_changed' ? `${e.previousLevel || openedAs(e)} → ${e.level}` : e.type.split('.')[1]);
  const minutes = (ms) => (ms >= 3600000 ? `${Math.floor(ms / 3600000)} h ${Math.round((ms % 3600000) / 60000)} min` : `${Math.round(ms / 60000)} min`);
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // ---- connection state ---------------------------------------------------------------------
  function setState(state, text) {
    const pill = $('connection');
    pill.dataset.state = state;
    pill.textContent = text;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    // The token travels as a subprotocol entry (browsers cannot set headers): kept out of URLs and logs.
    const protocols = ['stormwatch.v1'];
    if (token) protocols.push(`bearer.${token}`);
    setState(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'connecting…' : 'reconnecting…');
    let ws;
    try {
      ws = new WebSocket(url, protocols);
    } catch (error) {
      scheduleReconnect(`cannot connect (${error.message})`);
      return;
    }
    socket = ws;
    ws.onopen = () => {
      // Subscribe at once, within the server's grace: resume where we were, or start with a snapshot.
      const message = { kind: 'subscribe', ...subscription };
      if (lastSeq !== null && feedId !== null) Object.assign(message, { resumeFrom: lastSeq, feedId });
      ws.send(JSON.stringify(message));
      armWatchdog();
    };
    ws.onmessage = (m) => {
      armWatchdog();
      let message;
      try { message = JSON.parse(m.data); } catch { return; }
      handle(message);
    };
    ws.onclose = (e) => {
      if (socket !== ws) return;
      clearTimeout(watchdog);
      socket = null;
      if (e.code === 4401) {
        stopped = true;
        setState('unauthorized', token ? 'token refused' : 'token required: open this page with ?token=…');
        return;
      }
      const why = { 1001: 'server restarting', 4408: 'idle time-out', 4409: 'too slow, resuming', 4413: 'message too big', 4429: 'server full' }[e.code] || 'connection lost';
      scheduleReconnect(why, e.code === 4429 ? 10000 : 0);
    };
  }

  function scheduleReconnect(why, minDelay = 0) {
    if (stopped) return;
    attempt++;
    const delay = Math.max(minDelay, Math.min(30000, 500 * 2 ** Math.min(attempt, 6))) * (0.75 + Math.random() * 0.5);
    const at = Date.now() + delay;
    const show = () => {
      const s = Math.max(0, Math.ceil((at - Date.now()) / 1000));
      setState('reconnecting', `${why}: retrying in ${s} s`);
      if (s > 0) reconnectTimer = setTimeout(show, 1000);
    };
    show();
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, delay);
  }

  /** No message (heartbeats included) for 2.5 heartbeats: the connection is dead even if the browser does not know yet. */
  function armWatchdog() {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => { if (socket) socket.close(4000, 'no heartbeat'); }, heartbeatMs * 2.5);
  }

  // ---- protocol -----------------------------------------------------------------------------
  function handle(message) {
    switch (message.kind) {
      case 'hello':
        heartbeatMs = message.heartbeatMs || heartbeatMs;
        $('feed-info').textContent = `feed ${message.feedId.slice(0, 6)} · protocol v${message.protocolVersion}`;
        break;
      case 'subscribed':
        attempt = 0;
        setState('live', 'live');
        showFilter(message.filter);
        break;
      case 'snapshot':
        active.clear();
        for (const event of message.episodes) active.set(event.episodeId, event);
        lastSeq = message.seq;
        renderCards();
        break;
      case 'resync':
        addNote(message.reason === 'history_gone' ? 'Missed too much while away: showing the current state.' : 'The server restarted: showing the current state.');
        lastSeq = null;
        break;
      case 'event':
        if (lastSeq !== null && message.seq <= lastSeq) return; // already seen (a resume overlapping a snapshot)
        lastSeq = message.seq;
        apply(message.event);
        break;
      case 'heartbeat':
        break;
      case 'error':
        console.warn('stormwatch feed error', message.code, message.message);
        break;
    }
    if (message.feedId) feedId = message.feedId;
  }

  function apply(event) {
    addTimeline(event);
    if (event.type.endsWith('.ended')) active.delete(event.episodeId);
    else active.set(event.episodeId, event);
    renderCards();
  }

  function showFilter(filter) {
    const parts = [];
    if (filter.keys.length) parts.push(`keys ${filter.keys.join(', ')}`);
    if (filter.types.length) parts.push(`types ${filter.types.join(', ')}`);
    if (filter.minSeverity > 0) parts.push(`severity ≥ ${filter.minSeverity}`);
    const line = $('filter-line');
    line.hidden = parts.length === 0;
    line.textContent = parts.length ? `Showing only: ${parts.join(' · ')}` : '';
  }

  // ---- cards ----------------------------------------------------------------------------------
  const levelOrder = { storm: 0, drizzle: 1, surge: 2 };

  function renderCards() {
    const events = [...active.values()].sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || b.severity - a.severity);
    const keep = new Set(events.map((e) => e.episodeId));
    for (const card of [...cards.children]) if (!keep.has(card.dataset.episodeId)) card.remove();
    events.forEach((event, i) => {
      let card = cards.querySelector(`[data-episode-id="${CSS.escape(event.episodeId)}"]`);
      if (!card) card = $('card-template').content.firstElementChild.cloneNode(true);
      if (card.dataset.eventId !== event.id) fillCard(card, event);
      if (cards.children[i] !== card) cards.insertBefore(card, cards.children[i] || null);
    });
    $('calm').hidden = events.length > 0;
    const counts = { storm: 0, drizzle: 0, surge: 0 };
    for (const e of events) counts[e.level]++;
    $('counts').replaceChildren(...Object.entries(counts).filter(([, n]) => n > 0).map(([level, n]) => el('span', { class: `count ${level}`, text: `${n} ${level}${n === 1 ? '' : 's'}` })));
    document.title = counts.storm > 0 ? `⛈ ${counts.storm} storm${counts.storm === 1 ? '' : 's'} · stormwatch` : 'stormwatch · live';
  }

  function fillCard(card, e) {
    card.dataset.episodeId = e.episodeId;
    card.dataset.eventId = e.id;
    card.dataset.level = e.level;
    card.dataset.key = e.key;
    // Same incident, worse: the card stays, its level changes and says what it was.
    const rose = openedAs(e) !== e.level ? openedAs(e) : '';
    card.dataset.openedAs = openedAs(e);
    card.setAttribute('aria-label', `${e.level} on ${e.key}${rose ? ` (was a ${rose})` : ''}, severity ${e.severity}`);
    card.querySelector('.level').textContent = rose ? `${e.level} (was ${rose})` : e.level;
    card.querySelector('.key').textContent = e.key;
    card.querySelector('.type').textContent = `${action(e)} · ${time(e.at)}`;
    const meter = card.querySelector('.severity');
    meter.setAttribute('aria-valuenow', String(e.severity));
    meter.setAttribute('aria-label', 'severity');
    meter.querySelector('.bar').style.width = `${e.severity}%`;
    meter.querySelector('.value').textContent = `severity ${e.severity}`;
    card.querySelector('.explanation').textContent = e.explanation;
    // A planned event (policies.expected): said on the card; the card itself stays (never muted).
    card.querySelector('.type').textContent += e.expected ? ` · expected${e.expected.note ? `: ${e.expected.note}` : ''}` : '';

    const v = e.evidence;
    const facts = [
      ['mentions', `${num(v.mentions)} (usual ${num(v.usualMentions)}, ${ratio(v.rateRatio)})`, `in ${minutes(v.windowMs)}`],
      ['negative', `${pct(v.negativeShare)} (usual ${pct(v.usualNegativeShare)})`],
      ...(v.alarmShare === undefined ? [] : [['alarm', `${pct(v.alarmShare)} (usual ${pct(v.usualAlarmShare ?? 0)})`, 'mentions with harm, alarm or sympathy words']]),
      ['engagement', ratio(v.engagementRatio)],
      ['authors', num(v.authors)],
    ];
    card.querySelector('.evidence').replaceChildren(...facts.map(([k, val, title]) => el('div', title ? { title } : null, el('dt', { text: k }), el('dd', { text: val }))));
    const coordination = card.querySelector('.coordination');
    coordination.hidden = !v.coordination.suspected;
    coordination.textContent = v.coordination.suspected ? `Suspected coordination${v.coordination.reason ? `: ${v.coordination.reason}` : ''}` : '';
    const amplification = card.querySelector('.amplification');
    const amplified = v.amplification !== undefined && v.amplification.detected;
    amplification.hidden = !amplified;
    amplification.textContent = amplified ? `Amplified (retweets, quotes)${v.amplification.reason ? `: ${v.amplification.reason}` : ''}` : '';

    const d = e.drivers || { terms: [], hashtags: [], samples: [] };
    card.querySelector('.drivers').replaceChildren(
      ...d.hashtags.slice(0, 6).map((t) => el('span', { class: 'chip tag', text: t.term.startsWith('#') ? t.term : `#${t.term}`, title: `${t.count} mentions, lift ${ratio(t.lift)}` })),
      ...d.terms.slice(0, 8).map((t) => el('span', { class: 'chip', text: t.term, title: `${t.count} mentions, lift ${ratio(t.lift)}` })),
    );
    const samples = d.samples.slice(0, 3);
    card.querySelector('.samples-box').hidden = samples.length === 0;
    card.querySelector('.samples').replaceChildren(...samples.map((s) => el('li', null,
      s.text,
      el('span', { class: 'meta', text: `reach ${num(s.reach)} · sentiment ${s.sentiment > 0 ? '+' : ''}${Math.round(s.sentiment * 100) / 100}${s.authorId ? ` · ${s.authorId}` : ''}` }),
    )));
    card.querySelector('.playbook-box').hidden = e.playbook.length === 0;
    card.querySelector('.playbook').replaceChildren(...e.playbook.map((p) => el('li', { text: p })));
    card.querySelector('.card-foot').textContent = `episode ${e.episodeId} · event ${e.sequence} · ${day(e.at)}`;
    fillAck(card, e);
    const box = card.querySelector('.curve-box');
    drawCurve(box, curves.get(e.episodeId));
    void loadCurve(e.episodeId).then((curve) => drawCurve(box, curve));
  }

  // ---- curve ---------------------------------------------------------------------------------
  // Volume per minute against the usual band, and the negative share, from the episode's start to
  // now (GET api/episodes/:id, sampled by the server); inline SVG, redrawn every few seconds.
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CURVE_REFRESH_MS = 3000;
  const curves = new Map();

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  async function loadCurve(episodeId) {
    try {
      const res = await fetch(`api/episodes/${encodeURIComponent(episodeId)}`, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
      if (!res.ok) return curves.get(episodeId);
      const body = await res.json();
      if (body.curve) curves.set(episodeId, body.curve);
      if (body.status === 'ended') setTimeout(() => curves.delete(episodeId), 60000);
    } catch { /* the card shows the last one */ }
    return curves.get(episodeId);
  }

  function drawCurve(box, curve) {
    const points = (curve && curve.points) || [];
    box.hidden = points.length < 2;
    if (points.length < 2) return;
    const W = 320, H = 90, PAD = 3;
    const t0 = Date.parse(points[0].at);
    const span = Math.max(1, Date.parse(points[points.length - 1].at) - t0);
    const top = Math.max(1, ...points.map((p) => Math.max(p.mentionsPerMinute, p.usualPerMinute * curve.bandRatio))) * 1.08;
    const x = (p) => (PAD + (W - 2 * PAD) * ((Date.parse(p.at) - t0) / span)).toFixed(1);
    const y = (v) => (H - PAD - (H - 2 * PAD) * Math.min(1, v / top)).toFixed(1);
    const yShare = (share) => (H - PAD - (H - 2 * PAD) * share).toFixed(1);
    const line = (f) => points.map((p) => `${x(p)},${f(p)}`).join(' ');
    const band = `${line((p) => y(p.usualPerMinute * curve.bandRatio))} ${points.slice().reverse().map((p) => `${x(p)},${y(0)}`).join(' ')}`;
    const last = points[points.length - 1];
    const label = `${num(last.mentionsPerMinute)} mentions per minute (usual ${num(last.usualPerMinute)}), negative ${pct(last.negativeShare)}, since ${time(points[0].at)}`;
    const chart = svg('svg', { class: 'curve', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label });
    chart.append(
      svg('polygon', { class: 'band', points: band }),
      svg('polyline', { class: 'usual', points: line((p) => y(p.usualPerMinute)) }),
      svg('polyline', { class: 'negative', points: line((p) => yShare(p.negativeShare)) }),
      svg('polyline', { class: 'observed', points: line((p) => y(p.mentionsPerMinute)) }),
    );
    box.replaceChildren(chart, el('p', { class: 'curve-legend muted' },
      el('span', { class: 'key-observed', text: `${num(last.mentionsPerMinute)}/min` }),
      ` against usual ${num(last.usualPerMinute)} (dashed; band up to ×${curve.bandRatio}) · negative ${pct(last.negativeShare)} (thin) · ${time(points[0].at)}–${time(last.at)}`,
    ));
  }

  setInterval(() => {
    for (const id of active.keys()) {
      const card = cards.querySelector(`[data-episode-id="${CSS.escape(id)}"]`);
      if (card) void loadCurve(id).then((curve) => drawCurve(card.querySelector('.curve-box'), curve));
    }
  }, CURVE_REFRESH_MS);

  // ---- acknowledge ---------------------------------------------------------------------------
  const ACK_BY = 'stormwatch.ackBy';
  /** Wall-clock durations (time to acknowledge) are short: seconds under a minute. */
  const wallDuration = (ms) => (ms < 60000 ? `${Math.round(ms / 1000)} s` : minutes(ms));
  const ackText = (a) => `Acknowledged by ${a.by}${a.timeToAcknowledgeMs != null ? `, ${wallDuration(a.timeToAcknowledgeMs)} after the alert` : ''}${a.note ? `: ${a.note}` : ''}`;

  /** The card's acknowledge form, or who acknowledged it; the form keeps what is typed across updates. */
  function fillAck(card, e) {
    const form = card.querySelector('.ack-form');
    const done = card.querySelector('.ack-done');
    if (e.acknowledgement) {
      form.hidden = true;
      done.hidden = false;
      done.className = 'ack-done';
      done.textContent = ackText(e.acknowledgement);
      return;
    }
    form.hidden = false;
    if (form.dataset.wired) return;
    form.dataset.wired = 'yes';
    form.elements.by.value = localStorage.getItem(ACK_BY) || '';
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void acknowledge(card, form, done);
    });
  }

  async function acknowledge(card, form, done) {
    const by = form.elements.by.value.trim();
    const note = form.elements.note.value.trim();
    if (!by) return;
    localStorage.setItem(ACK_BY, by);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const headers = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`api/episodes/${encodeURIComponent(card.dataset.episodeId)}/ack`, { method: 'POST', headers, body: JSON.stringify(note ? { by, note } : { by }) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
      // The acknowledged event follows on the feed; until then, say what the server answered.
      form.hidden = true;
      done.hidden = false;
      done.className = 'ack-done';
      done.textContent = ackText(body.status === 'recorded' ? body.first : body.acknowledgement);
    } catch (error) {
      done.hidden = false;
      done.className = 'ack-done error';
      done.textContent = `Not acknowledged: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  // ---- timeline ------------------------------------------------------------------------------
  function addTimeline(e, prepend = true) {
    if (timeline.querySelector(`[data-event-id="${CSS.escape(e.id)}"]`)) return; // seeded and live both
    const item = el('li', { 'data-type': e.type, 'data-episode-id': e.episodeId, 'data-event-id': e.id },
      el('div', { class: 'line1' },
        el('time', { dateTime: e.at, text: time(e.at) }),
        el('span', { class: `badge ${e.level}`, text: e.level }),
        el('span', { class: 'what', text: `${e.key} ${action(e)}` }),
        el('span', { class: 'muted', text: `severity ${e.severity}` }),
      ),
      el('p', { class: 'why', text: e.type.endsWith('.acknowledged') && e.acknowledgement ? ackText(e.acknowledgement) : e.explanation }),
    );
    if (e.postMortem) {
      const p = e.postMortem;
      // Negatives are counted among the mentions we read (readMentions, schema 1.3.0 on).
      const read = p.readMentions ?? p.totalMentions;
      const negative = read > 0 ? pct(p.negativeMentions / read) : '–';
      item.append(el('p', { class: 'postmortem', text:
        `Post-mortem: lasted ${minutes(p.durationMs)}, detected ${minutes(p.timeToDetectMs)} after onset, ` +
        `peak ${num(p.peakMentionsPerMinute)}/min (${ratio(p.peakRateRatio)}), severity peak ${p.peakSeverity}, ` +
        `${num(p.totalMentions)} mentions, ${negative} negative${p.escalations ? `, ${p.escalations} escalation${p.escalations === 1 ? '' : 's'}` : ''}` +
        `${p.levelChangedAt ? `; opened as a ${p.openedAs}, a storm from ${time(p.levelChangedAt)}` : ''}` +
        `${p.timeToAcknowledgeMs != null ? `, acknowledged ${wallDuration(p.timeToAcknowledgeMs)} after the alert` : ''}.` }));
    }
    if (e.type.endsWith('.ended')) {
      const box = el('div', { class: 'curve-box', hidden: true });
      item.append(box);
      void loadCurve(e.episodeId).then((curve) => drawCurve(box, curve));
    }
    if (prepend) timeline.prepend(item); else timeline.append(item);
    while (timeline.children.length > MAX_TIMELINE) timeline.lastElementChild.remove();
    $('timeline-empty').hidden = true;
  }

  function addNote(text) {
    timeline.prepend(el('li', { class: 'note muted', text }));
    $('timeline-empty').hidden = true;
  }

  /** The feed's latest events (and recently ended episodes older than those) from the REST API, so a page opened late has the history. */
  async function seedTimeline() {
    const get = async (path) => {
      const res = await fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
      return res.ok ? res.json() : null;
    };
    try {
      const history = await get(`api/events?limit=${MAX_TIMELINE}`);
      // Oldest first from the server; the timeline is newest first, below anything live.
      if (history) for (const event of history.events.slice().reverse()) addTimeline(event, false);
      const episodes = await get('api/episodes?limit=20');
      if (episodes) for (const view of episodes.recent) if (!timeline.querySelector(`[data-episode-id="${CSS.escape(view.episodeId)}"]`)) addTimeline(view.latest, false);
    } catch { /* the feed is what matters */ }
  }

  addEventListener('online', () => { if (!socket && !stopped) { attempt = 0; connect(); } });
  renderCards();
  connect();
  void seedTimeline();
})();
