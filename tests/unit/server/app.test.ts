import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { Metrics } from '../../../src/metrics/metrics.js';
import { buildApp } from '../../../src/server/app.js';
import { feedHub } from '../../support/feed.js';
import { EpisodeBoard } from '../../../src/episodes/board.js';
import { FeedSink } from '../../../src/sinks/feed-sink.js';
import type { Readiness } from '../../../src/service.js';
import { fakeEvent } from './fixtures.js';
import { until } from '../../support/until.js';

async function setup(readiness: Readiness = { ready: true, checks: { 'source:test': true } }) {
  const hub = feedHub({ subscribeGraceMs: 0 });
  const board = new EpisodeBoard(10);
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false });
  const app = await buildApp({ feed: hub, board, registry, readiness: () => readiness });
  return { app, hub, board, registry, metrics };
}

test('GET /healthz answers ok', async (t) => {
  const { app } = await setup();
  t.after(() => app.close());
  const res = await app.inject('/healthz');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET /readyz is 200 when ready and 503 with the failing checks when not', async (t) => {
  const ready = await setup();
  t.after(() => ready.app.close());
  assert.equal((await ready.app.inject('/readyz')).statusCode, 200);

  const notReady = await setup({ ready: false, checks: { 'source:test': false, 'sink:feed': true } });
  t.after(() => notReady.app.close());
  const res = await notReady.app.inject('/readyz');
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json().checks, { 'source:test': false, 'sink:feed': true });
});

test('GET /metrics serves the registry in the Prometheus text format', async (t) => {
  const { app, metrics } = await setup();
  t.after(() => app.close());
  metrics.mention('accepted');
  metrics.event('storm.started', 'acme-air');
  const res = await app.inject('/metrics');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  assert.match(res.body, /stormwatch_mentions_total\{outcome="accepted"\} 1/);
  assert.match(res.body, /stormwatch_classification_events_total\{type="storm.started"\} 1/);
  // No key label unless allow-listed.
  assert.doesNotMatch(res.body, /acme-air/);
});

test('GET /api/episodes lists active and recent episodes, limit is validated', async (t) => {
  const { app, board } = await setup();
  t.after(() => app.close());
  await board.publish([
    fakeEvent('storm.started', { episodeId: 'storm-a', key: 'a' }),
    fakeEvent('drizzle.started', { episodeId: 'drizzle-b', key: 'b' }),
    fakeEvent('drizzle.ended', { episodeId: 'drizzle-b', key: 'b', sequence: 2, at: '2025-03-03T13:00:00.000Z' }),
  ]);
  const res = await app.inject('/api/episodes');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.active.map((e: { episodeId: string }) => e.episodeId), ['storm-a']);
  assert.deepEqual(body.recent.map((e: { episodeId: string; status: string }) => [e.episodeId, e.status]), [['drizzle-b', 'ended']]);
  assert.equal((await app.inject('/api/episodes?limit=0')).statusCode, 400);
  assert.equal((await app.inject('/api/episodes?limit=abc')).statusCode, 400);
  assert.equal((await app.inject('/api/episodes?limit=1')).statusCode, 200);
});

test('/ws speaks the feed protocol: hello, subscribed, snapshot, then each event with its seq', async (t) => {
  const { app, hub } = await setup();
  t.after(() => app.close());
  await app.ready();
  const received: { kind: string; seq?: number; event?: unknown }[] = [];
  let onMessage = (): void => undefined;
  const ws = await app.injectWS('/ws', {}, {
    // Listeners before the handshake completes: nothing the server sends first is missed.
    onInit: (socket: import('ws').WebSocket) =>
      socket.on('message', (data: Buffer) => {
        received.push(JSON.parse(data.toString('utf8')));
        onMessage();
      }),
  });
  await until(() => hub.size === 1 && received.length >= 3);
  assert.deepEqual(received.map((m) => m.kind), ['hello', 'subscribed', 'snapshot']);
  const sink = new FeedSink(hub);
  const two = new Promise<void>((resolve) => (onMessage = () => received.length === 5 && resolve()));
  const started = fakeEvent('storm.started');
  const ended = fakeEvent('storm.ended', { sequence: 2 });
  await sink.publish([started, ended]);
  await two;
  assert.deepEqual(received.slice(3), [
    { kind: 'event', seq: 1, event: started },
    { kind: 'event', seq: 2, event: ended },
  ]);
  ws.terminate();
  await until(() => hub.size === 0);
});

test('GET / serves the live page (no build step); /app.js and /style.css; /api is the JSON index', async (t) => {
  const { app } = await setup();
  t.after(() => app.close());
  const page = await app.inject('/');
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /<script src="app\.js"/);
  assert.match(String(page.headers['content-security-policy']), /connect-src 'self' ws: wss:/);
  const js = await app.inject('/app.js');
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers['content-type']), /javascript/);
  assert.match(js.body, /resumeFrom/);
  assert.equal((await app.inject('/style.css')).statusCode, 200);
  const index = await app.inject('/api');
  assert.equal(index.json().endpoints['/ws'] !== undefined, true);
});

test('without the page files, / falls back to the JSON index', async (t) => {
  const app = await buildApp({ feed: feedHub(), board: new EpisodeBoard(), registry: new Registry(), readiness: () => ({ ready: true, checks: {} }), publicDir: '/nonexistent' });
  t.after(() => app.close());
  assert.equal((await app.inject('/')).json().name, 'stormwatch');
});

test('with feed.token set, /api/episodes needs it (query or bearer) and /ws closes with 4401 without it', async (t) => {
  const hub = feedHub({ token: 't0ken', subscribeGraceMs: 0 });
  const app = await buildApp({ feed: hub, board: new EpisodeBoard(), registry: new Registry(), readiness: () => ({ ready: true, checks: {} }) });
  t.after(() => app.close());
  await app.ready();
  assert.equal((await app.inject('/api/episodes')).statusCode, 401);
  assert.equal((await app.inject('/api/episodes?token=wrong')).statusCode, 401);
  assert.equal((await app.inject('/api/episodes?token=t0ken')).statusCode, 200);
  assert.equal((await app.inject({ url: '/api/episodes', headers: { authorization: 'Bearer t0ken' } })).statusCode, 200);

  let code = 0;
  const refused = await app.injectWS('/ws', {}, { onInit: (s: import('ws').WebSocket) => s.on('close', (c: number) => (code = c)) });
  await until(() => code !== 0);
  assert.equal(code, 4401);
  refused.terminate();
  const accepted = await app.injectWS('/ws?token=t0ken');
  await until(() => hub.size === 1);
  accepted.terminate();
});

test('closing the app closes websocket clients (no hang)', async (t) => {
  const { app, hub } = await setup();
  await app.ready();
  const ws = await app.injectWS('/ws');
  await until(() => hub.size === 1);
  const closed = once(ws, 'close');
  await app.close();
  const [code] = (await closed) as [number];
  assert.equal(code, 1001);
  assert.equal(hub.size, 0);
  t.diagnostic('closed with 1001 going away');
});
