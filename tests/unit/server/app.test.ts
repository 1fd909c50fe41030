import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { Metrics } from '../../../src/metrics.js';
import { buildApp } from '../../../src/server/app.js';
import { FeedHub } from '../../../src/server/feed-hub.js';
import { EpisodeBoard } from '../../../src/sinks/episode-board.js';
import { FeedSink } from '../../../src/sinks/feed-sink.js';
import type { Readiness } from '../../../src/service.js';
import { fakeEvent } from './fixtures.js';

async function setup(readiness: Readiness = { ready: true, checks: { 'source:test': true } }) {
  const hub = new FeedHub();
  const board = new EpisodeBoard(10);
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false });
  const app = await buildApp({ feed: hub, board, registry, readiness: () => readiness });
  return { app, hub, board, registry, metrics };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
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

test('/ws streams each classification event as one JSON message', async (t) => {
  const { app, hub } = await setup();
  t.after(() => app.close());
  await app.ready();
  const ws = await app.injectWS('/ws');
  await until(() => hub.size === 1);
  const sink = new FeedSink(hub);
  const received: unknown[] = [];
  const two = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      received.push(JSON.parse(data.toString('utf8')));
      if (received.length === 2) resolve();
    });
  });
  const started = fakeEvent('storm.started');
  const ended = fakeEvent('storm.ended', { sequence: 2 });
  await sink.publish([started, ended]);
  await two;
  assert.deepEqual(received, [started, ended]);
  ws.terminate();
  await until(() => hub.size === 0);
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
