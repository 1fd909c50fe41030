// The websocket feed protocol (docs/websocket.md) against a real server on a free port (buildApp +
// listen on 127.0.0.1:0) with real `ws` clients over TCP: filters, snapshot, resume, resync, auth,
// limits, idle time-out, and a bounded flood that cuts a client that stops reading (4409, counted)
// while another client receives every event in order.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { createLogger } from '../../src/logging.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { buildApp } from '../../src/server/app.js';
import { FeedHub, type FeedHubOptions } from '../../src/server/feed-hub.js';
import { feedHub } from '../support/feed.js';
import { observeFeed } from '../../src/server/feed-observer.js';
import type { ServerMessage } from '../../src/server/protocol/messages.js';
import { EpisodeBoard } from '../../src/episodes/board.js';
import { FeedSink } from '../../src/sinks/feed-sink.js';
import { fakeEvent } from '../unit/server/fixtures.js';

interface Server {
  hub: FeedHub;
  sink: FeedSink;
  registry: Registry;
  url: string;
}

async function server(t: TestContext, options: Partial<FeedHubOptions> = {}): Promise<Server> {
  const hub = feedHub({ subscribeGraceMs: 200, ...options });
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false });
  observeFeed(hub, metrics, createLogger({ log: { level: 'silent' } }));
  const board = new EpisodeBoard(10);
  const app = await buildApp({ feed: hub, board, registry, readiness: () => ({ ready: true, checks: {} }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { hub, sink: new FeedSink(hub), registry, url: `ws://127.0.0.1:${port}/ws` };
}

/** A real ws client that records every message and its close code. */
class Client {
  readonly messages: ServerMessage[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<number>;
  private readonly waiters = new Set<() => void>();

  constructor(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}) {
    const { protocols, ...rest } = options;
    this.ws = new WebSocket(url, protocols, rest);
    this.ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
      for (const w of this.waiters) w();
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.ws.on('close', (code) => resolve(code)));
  }

  static async open(t: TestContext, url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<Client> {
    const client = new Client(url, options);
    t.after(() => client.ws.terminate());
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  kinds(): string[] {
    return this.messages.map((m) => m.kind);
  }

  events(): { seq: number; event: ClassificationEvent }[] {
    return this.messages.flatMap((m) => (m.kind === 'event' ? [{ seq: m.seq, event: m.event }] : []));
  }

  /** Waits until the condition holds over the messages so far. */
  until(condition: (c: Client) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${what}: not within ${timeoutMs} ms; got ${this.kinds().join(', ')}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition(this)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  last<K extends ServerMessage['kind']>(kind: K): Extract<ServerMessage, { kind: K }> | undefined {
    return this.messages.filter((m) => m.kind === kind).at(-1) as Extract<ServerMessage, { kind: K }> | undefined;
  }
}

function counter(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

const storm = (key: string, n: number, over: Partial<ClassificationEvent> = {}): ClassificationEvent =>
  fakeEvent('storm.started', { key, episodeId: `storm-${key}-${n}`, severity: 70, ...over });

test('a client that sends nothing gets hello, a snapshot of every active episode, then every event with its seq', async (t) => {
  const s = await server(t);
  await s.sink.publish([storm('a', 1), storm('b', 1, { severity: 90 })]);
  const c = await Client.open(t, s.url);
  await c.until((x) => x.kinds().includes('snapshot'), 'default snapshot after the grace');
  const hello = c.messages[0];
  assert.ok(hello?.kind === 'hello');
  assert.equal(hello.protocolVersion, 1);
  assert.equal(hello.feedId, s.hub.feedId);
  assert.equal(hello.seq, 2);
  const snapshot = c.last('snapshot')!;
  assert.equal(snapshot.seq, 2);
  assert.deepEqual(snapshot.episodes.map((e) => e.episodeId), ['storm-b-1', 'storm-a-1']);
  await s.sink.publish([fakeEvent('storm.ended', { key: 'a', episodeId: 'storm-a-1', sequence: 2 })]);
  await c.until((x) => x.events().length === 1, 'live event');
  assert.deepEqual(c.events().map((e) => [e.seq, e.event.type]), [[3, 'storm.ended']]);
});

test('subscribe filters (keys, types, minSeverity) the snapshot and the live events', async (t) => {
  const s = await server(t);
  await s.sink.publish([
    storm('a', 1),
    storm('b', 1),
    fakeEvent('drizzle.started', { key: 'a', episodeId: 'drizzle-a-1', severity: 20 }),
    fakeEvent('surge.started', { key: 'a', episodeId: 'surge-a-1', severity: 90 }),
  ]);
  const c = await Client.open(t, s.url);
  c.send({ kind: 'subscribe', keys: ['a'], types: ['storm.started', 'storm.escalated', 'storm.ended', 'drizzle.started', 'drizzle.ended'], minSeverity: 50 });
  await c.until((x) => x.kinds().includes('snapshot'), 'snapshot');
  assert.deepEqual(c.kinds(), ['hello', 'subscribed', 'snapshot'], 'subscribing within the grace: one snapshot, the filtered one');
  assert.deepEqual(c.last('snapshot')!.episodes.map((e) => e.episodeId), ['storm-a-1']);
  await s.sink.publish([
    fakeEvent('storm.escalated', { key: 'b', episodeId: 'storm-b-1', sequence: 2, severity: 95 }),
    fakeEvent('surge.ended', { key: 'a', episodeId: 'surge-a-1', sequence: 2 }),
    fakeEvent('drizzle.ended', { key: 'a', episodeId: 'drizzle-a-1', sequence: 2, severity: 20 }),
    fakeEvent('storm.escalated', { key: 'a', episodeId: 'storm-a-1', sequence: 2, severity: 85 }),
    fakeEvent('storm.ended', { key: 'a', episodeId: 'storm-a-1', sequence: 3, severity: 10 }),
  ]);
  await c.until((x) => x.events().length === 2, 'filtered live events');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(c.events().map((e) => e.event.id), ['storm-a-1-2', 'storm-a-1-3']);
  assert.deepEqual(c.events().map((e) => e.seq), [8, 9], 'seq is the feed sequence, gaps are what the filter left out');
});

test('reconnecting with resumeFrom gets exactly what was missed; past the history a resync and a fresh snapshot', async (t) => {
  const s = await server(t, { historySize: 10 });
  const first = await Client.open(t, s.url);
  first.send({ kind: 'subscribe' });
  await first.until((x) => x.kinds().includes('snapshot'), 'subscribed');
  for (let i = 1; i <= 3; i++) await s.sink.publish([storm(`k${i}`, i)]);
  await first.until((x) => x.events().length === 3, 'first three');
  const feedId = (first.messages[0] as { feedId: string }).feedId;
  const lastSeq = first.events().at(-1)!.seq;
  first.ws.close();
  await first.closed;

  for (let i = 4; i <= 7; i++) await s.sink.publish([storm(`k${i}`, i)]);
  const again = await Client.open(t, s.url);
  again.send({ kind: 'subscribe', resumeFrom: lastSeq, feedId });
  await again.until((x) => x.events().length === 4, 'missed events');
  assert.deepEqual(again.kinds(), ['hello', 'subscribed', 'event', 'event', 'event', 'event'], 'no snapshot on a resume');
  assert.equal(again.last('subscribed')!.mode, 'resume');
  assert.deepEqual(again.events().map((e) => e.seq), [4, 5, 6, 7]);
  await s.sink.publish([storm('k8', 8)]);
  await again.until((x) => x.events().length === 5, 'then live');

  // Twelve more: the history (10) no longer reaches back to seq 8.
  for (let i = 9; i <= 20; i++) await s.sink.publish([fakeEvent('storm.ended', { key: `k${i - 8}`, episodeId: `storm-k${i - 8}-${i - 8}`, sequence: 2 })]);
  const late = await Client.open(t, s.url);
  late.send({ kind: 'subscribe', resumeFrom: 8, feedId });
  await late.until((x) => x.kinds().includes('snapshot'), 'resync then snapshot');
  assert.deepEqual(late.kinds(), ['hello', 'subscribed', 'resync', 'snapshot']);
  const resync = late.last('resync')!;
  assert.deepEqual({ reason: resync.reason, fromSeq: resync.fromSeq, seq: resync.seq }, { reason: 'history_gone', fromSeq: 11, seq: 20 });
  assert.equal(late.last('snapshot')!.seq, 20);
  assert.deepEqual(late.last('snapshot')!.episodes.map((e) => e.episodeId), [], 'every storm has ended');

  const restarted = await Client.open(t, s.url);
  restarted.send({ kind: 'subscribe', resumeFrom: 15, feedId: '0000000000000000' });
  await restarted.until((x) => x.kinds().includes('snapshot'), 'resync after a restart');
  assert.equal(restarted.last('resync')!.reason, 'feed_restarted');
});

test('token: none or wrong closes with 4401; ?token=, Authorization: Bearer and the bearer.<token> subprotocol are accepted', async (t) => {
  const s = await server(t, { token: 'tok-123' });
  assert.equal(await new Client(s.url).closed, 4401);
  assert.equal(await new Client(`${s.url}?token=nope`).closed, 4401);
  assert.equal(await new Client(s.url, { headers: { authorization: 'Bearer nope' } }).closed, 4401);

  const byQuery = await Client.open(t, `${s.url}?token=tok-123`);
  const byHeader = await Client.open(t, s.url, { headers: { authorization: 'Bearer tok-123' } });
  const bySubprotocol = await Client.open(t, s.url, { protocols: ['stormwatch.v1', 'bearer.tok-123'] });
  assert.equal(bySubprotocol.ws.protocol, 'stormwatch.v1', 'the server selects stormwatch.v1, not the token');
  for (const c of [byQuery, byHeader, bySubprotocol]) await c.until((x) => x.kinds().includes('hello'), 'hello');
  assert.equal(s.hub.size, 3);
  const metrics = await s.registry.metrics();
  assert.equal(counter(metrics, 'stormwatch_ws_disconnects_total{reason="unauthorized"}'), 3);
});

test('limits: one client over maxClients is closed with 4429; a message over maxMessageBytes with 4413; bad messages get an error', async (t) => {
  const s = await server(t, { maxClients: 2, maxMessageBytes: 512 });
  const a = await Client.open(t, s.url);
  await Client.open(t, s.url);
  assert.equal(await new Client(s.url).closed, 4429);

  a.send({ kind: 'subscribe', keys: 'acme' });
  a.ws.send('{"kind":');
  await a.until((x) => x.kinds().filter((k) => k === 'error').length === 2, 'two errors');
  const errors = a.messages.flatMap((m) => (m.kind === 'error' ? [m.code] : []));
  assert.deepEqual(errors, ['invalid_message', 'invalid_json']);
  a.send({ kind: 'ping', id: 'p1' });
  await a.until((x) => x.kinds().includes('pong'), 'pong');
  assert.equal(a.last('pong')!.id, 'p1');
  a.send({ kind: 'subscribe', keys: ['x'.repeat(600)] });
  assert.equal(await a.closed, 4413);
});

test('idle time-out: a client that answers no ping is closed with 4408; one that does keeps its connection and gets heartbeats', async (t) => {
  const s = await server(t, { heartbeatMs: 150, idleTimeoutMs: 400 });
  const silent = await Client.open(t, s.url, { autoPong: false });
  const alive = await Client.open(t, s.url);
  const started = Date.now();
  assert.equal(await silent.closed, 4408);
  const after = Date.now() - started;
  assert.ok(after >= 350 && after < 2000, `closed after ${after} ms`);
  assert.ok(alive.kinds().filter((k) => k === 'heartbeat').length >= 2, 'heartbeats');
  assert.equal(alive.ws.readyState, WebSocket.OPEN);
});

test('flood: a client that stops reading is cut with 4409 (bounded, counted) while another receives every event in order', { timeout: 60_000 }, async (t) => {
  const s = await server(t, { maxQueuedMessages: 200, maxBufferedBytes: 512 * 1024, subscribeGraceMs: 0 });
  const slow = await Client.open(t, s.url);
  const fast = await Client.open(t, s.url);
  await slow.until((x) => x.kinds().includes('snapshot'), 'slow subscribed');
  await fast.until((x) => x.kinds().includes('snapshot'), 'fast subscribed');
  const cut = new Promise<number>((resolve) => s.hub.once('slowClient', (_id, dropped) => resolve(dropped)));
  let cutAt: number | undefined;
  void cut.then(() => (cutAt = s.hub.seq));
  slow.ws.pause(); // stops reading from its socket: the server's buffers for it fill up

  // Events with full drivers (about 2.5 KB each), in batches as the pipeline would publish them.
  const samples = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, text: `${'flights cancelled again, nobody answers the phone '.repeat(5)}`.slice(0, 280), reach: 1000 * i, sentiment: -0.8 }));
  const drivers = { terms: [{ term: 'cancelled', count: 300, lift: 12 }], hashtags: [{ term: '#acmefail', count: 120, lift: 30 }], samples, authors: [] };
  const MAX_EVENTS = 40_000;
  const BATCH = 100;
  const started = Date.now();
  let published = 0;
  while (published < MAX_EVENTS && (cutAt === undefined || published < cutAt + 500)) {
    const batch = Array.from({ length: BATCH }, () => fakeEvent('storm.escalated', { sequence: ++published, drivers }));
    const t0 = performance.now();
    await s.sink.publish(batch);
    assert.ok(performance.now() - t0 < 250, 'publishing never waits for a client');
    await new Promise((r) => setImmediate(r));
  }
  const dropped = await cut;
  t.diagnostic(`slow client cut at seq ${cutAt} (${dropped} queued messages dropped); ${published} events published in ${Date.now() - started} ms`);
  assert.ok(cutAt !== undefined && cutAt < MAX_EVENTS, 'cut before the flood ended');
  slow.ws.resume();
  assert.equal(await slow.closed, 4409, 'the slow client learns why: 4409');

  await fast.until((x) => x.events().length === published, `fast client gets all ${published}`, 30_000);
  const seqs = fast.events().map((e) => e.seq);
  assert.ok(seqs.every((seq, i) => seq === i + 1), 'in order, no gaps');
  assert.equal(fast.ws.readyState, WebSocket.OPEN);
  const metrics = await s.registry.metrics();
  assert.equal(counter(metrics, 'stormwatch_ws_slow_clients_disconnected_total'), 1);
  assert.equal(counter(metrics, 'stormwatch_ws_disconnects_total{reason="slow_consumer"}'), 1);
  assert.equal(counter(metrics, 'stormwatch_ws_messages_dropped_total'), dropped);
});

test('shutdown: clients are told 1001 going away', async (t) => {
  const s = await server(t);
  const c = await Client.open(t, s.url);
  s.hub.closeAll();
  assert.equal(await c.closed, 1001);
});
