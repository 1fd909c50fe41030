// The real service process on a free port with an accelerated simulator: a real websocket client
// that sends nothing (the protocol's default subscription: everything) must see the scheduled
// acme-air storm start and end, and /metrics must move. No Kafka needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { assertValidEvent } from '../support/detection.js';
import { embeddedServiceEnv, spawnNode } from '../support/processes.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
// 900×: the 6 h warm-up passes in 24 s; the storm starts ~25 s and ends ~31 s after start.
const SPEEDUP = 900;

function counter(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

test('npm start: a websocket client sees the scheduled storm start and end; /metrics counts it', { timeout: 150_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const env = embeddedServiceEnv(dir, SPEEDUP, { STORMWATCH_METRICS_KEY_ALLOW_LIST: 'acme-air' });
  const service = spawnNode(MAIN, [], { env });
  t.after(() => service.kill('SIGKILL', 1000));

  const listening = JSON.parse(await service.waitForLine(/stormwatch listening/, 20_000)) as { port: number; url: string; source: string };
  assert.equal(listening.source, 'simulator');
  assert.ok(listening.port > 0);
  const base = `http://127.0.0.1:${listening.port}`;
  const started = Date.now();

  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  const metricsBefore = await (await fetch(`${base}/metrics`)).text();

  const ws = new WebSocket(`ws://127.0.0.1:${listening.port}/ws`);
  t.after(() => ws.terminate());
  const events: ClassificationEvent[] = [];
  const waiters: { test: (e: ClassificationEvent) => boolean; resolve: (e: ClassificationEvent) => void }[] = [];
  const kinds = new Set<string>();
  ws.on('message', (data: Buffer) => {
    // The feed protocol (docs/websocket.md): hello, subscribed, snapshot, then { kind: 'event', seq, event }.
    const message = JSON.parse(data.toString('utf8')) as { kind: string; event?: ClassificationEvent };
    kinds.add(message.kind);
    if (message.kind !== 'event' || message.event === undefined) return;
    const event = message.event;
    events.push(event);
    for (const w of waiters.splice(0)) {
      if (w.test(event)) w.resolve(event);
      else waiters.push(w);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = (what: string, test: (e: ClassificationEvent) => boolean, timeoutMs: number): Promise<ClassificationEvent> => {
    const seen = events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${what} not seen within ${timeoutMs} ms; events: ${events.map((e) => `${e.type} ${e.key}`).join(', ')}\n${service.tail()}`)),
        timeoutMs,
      );
      waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  };

  const storm = await waitFor('storm.started acme-air', (e) => e.type === 'storm.started' && e.key === 'acme-air', 90_000);
  const startedAfterS = (Date.now() - started) / 1000;
  const ended = await waitFor('storm.ended acme-air', (e) => e.type === 'storm.ended' && e.episodeId === storm.episodeId, 60_000);
  const endedAfterS = (Date.now() - started) / 1000;
  t.diagnostic(`storm.started after ${startedAfterS.toFixed(1)} s, storm.ended after ${endedAfterS.toFixed(1)} s (speedup ${SPEEDUP})`);
  assert.ok(ended.postMortem, 'the end carries a post-mortem');
  assert.ok(kinds.has('hello') && kinds.has('snapshot'), `a plain client gets hello and a snapshot first (saw ${[...kinds].join(', ')})`);
  assert.equal(storm.level, 'storm');
  assert.ok(Date.parse(storm.emittedAt) >= started - 1000, 'emittedAt is the wall clock');
  for (const event of events) assertValidEvent(event);

  const metricsAfter = await (await fetch(`${base}/metrics`)).text();
  const accepted = 'stormwatch_mentions_total{outcome="accepted"}';
  assert.ok(counter(metricsAfter, accepted) > counter(metricsBefore, accepted) + 1000, 'mentions counted');
  assert.ok(counter(metricsAfter, 'stormwatch_classification_events_total{type="storm.started"}') >= 1);
  assert.ok(counter(metricsAfter, 'stormwatch_classification_events_total{type="storm.ended"}') >= 1);
  assert.ok(counter(metricsAfter, 'stormwatch_key_classification_events_total{key="acme-air",type="storm.started"}') >= 1);
  assert.ok(counter(metricsAfter, 'stormwatch_processing_duration_seconds_count{stage="engine"}') > 0);
  assert.equal(counter(metricsAfter, 'stormwatch_ws_clients'), 1);
  assert.match(metricsAfter, /^process_cpu_seconds_total /m);

  const episodes = (await (await fetch(`${base}/api/episodes`)).json()) as { recent: { episodeId: string; status: string }[] };
  assert.ok(episodes.recent.some((e) => e.episodeId === storm.episodeId && e.status === 'ended'));

  // Graceful shutdown: exit 0, websocket clients told "going away".
  const exit = await service.kill('SIGTERM', 15_000);
  assert.deepEqual(exit, { code: 0, signal: null }, service.tail());
  assert.equal(await closed, 1001);
  assert.ok(service.stdout.some((l) => l.includes('"msg":"stopped"')));
});
