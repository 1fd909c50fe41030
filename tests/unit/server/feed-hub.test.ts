import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { FeedHub, type FeedHubOptions } from '../../../src/server/feed-hub.js';
import { feedHub } from '../../support/feed.js';
import type { ServerMessage } from '../../../src/server/protocol/messages.js';
import { fakeEvent } from './fixtures.js';

/** Enough of a ws socket for the hub. `stall()` makes it stop taking bytes, as a client that does not read. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: [number, string] | undefined;
  terminated = false;
  pings = 0;
  failSend = false;
  private stalled = false;
  private waiting: (() => void)[] = [];
  send(data: string, cb?: (error?: Error) => void): void {
    if (this.failSend) throw new Error('socket broke');
    this.sent.push(data);
    if (this.stalled) {
      this.bufferedAmount += data.length;
      if (cb) this.waiting.push(cb);
    } else if (cb) process.nextTick(cb);
  }
  stall(): void {
    this.stalled = true;
  }
  /** The client reads everything: the buffer empties and the write callbacks run. */
  release(): void {
    this.stalled = false;
    this.bufferedAmount = 0;
    for (const cb of this.waiting.splice(0)) cb();
  }
  ping(): void {
    this.pings++;
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = 3;
    this.emit('close', code);
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
  /** A text message from the client. */
  receive(message: unknown): void {
    this.emit('message', Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)), false);
  }
  messages(): ServerMessage[] {
    return this.sent.map((m) => JSON.parse(m) as ServerMessage);
  }
  kinds(): string[] {
    return this.messages().map((m) => m.kind);
  }
  events(): { seq: number; id: string; type: string }[] {
    return this.messages().flatMap((m) => (m.kind === 'event' ? [{ seq: m.seq, id: m.event.id, type: m.event.type }] : []));
  }
}

const asWs = (s: FakeSocket): WebSocket => s as unknown as WebSocket;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function hub(options: Partial<FeedHubOptions> = {}, now?: () => number): FeedHub {
  return feedHub({ subscribeGraceMs: 0, ...options }, now);
}

function connect(h: FeedHub, token?: string): FakeSocket {
  const socket = new FakeSocket();
  h.add(asWs(socket), { token });
  return socket;
}

test('a client gets hello, then (no subscribe, no grace) a snapshot of every active episode, then numbered events', (t) => {
  const h = hub();
  t.after(() => h.closeAll());
  h.broadcast(fakeEvent('storm.started', { episodeId: 'storm-a', key: 'a', severity: 70 }));
  h.broadcast(fakeEvent('drizzle.started', { episodeId: 'drizzle-b', key: 'b', severity: 30 }));
  h.broadcast(fakeEvent('surge.started', { episodeId: 'surge-c', key: 'c' }));
  h.broadcast(fakeEvent('surge.ended', { episodeId: 'surge-c', key: 'c', sequence: 2 }));
  const socket = connect(h);
  const [hello, subscribed, snapshot] = socket.messages();
  assert.equal(hello?.kind, 'hello');
  assert.equal(hello.kind === 'hello' && hello.protocolVersion, 1);
  assert.equal(hello.kind === 'hello' && hello.feedId, h.feedId);
  assert.equal(hello.kind === 'hello' && hello.seq, 4);
  assert.equal(subscribed?.kind === 'subscribed' && subscribed.mode, 'snapshot');
  assert.equal(snapshot?.kind, 'snapshot');
  assert.ok(snapshot?.kind === 'snapshot');
  assert.equal(snapshot.seq, 4);
  // Most severe first; the ended surge is not active.
  assert.deepEqual(snapshot.episodes.map((e) => e.episodeId), ['storm-a', 'drizzle-b']);

  h.broadcast(fakeEvent('storm.escalated', { episodeId: 'storm-a', key: 'a', sequence: 2, severity: 90 }));
  assert.deepEqual(socket.events(), [{ seq: 5, id: 'storm-a-2', type: 'storm.escalated' }]);
});

test('before subscribe (within the grace) only hello arrives; the default subscription follows the grace', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const h = feedHub({ subscribeGraceMs: 30 });
  t.after(() => h.closeAll());
  const socket = connect(h);
  h.broadcast(fakeEvent('storm.started'));
  t.mock.timers.tick(29);
  assert.deepEqual(socket.kinds(), ['hello']);
  t.mock.timers.tick(1);
  assert.deepEqual(socket.kinds(), ['hello', 'subscribed', 'snapshot']);
  const snapshot = socket.messages()[2];
  assert.ok(snapshot?.kind === 'snapshot' && snapshot.episodes.length === 1 && snapshot.seq === 1);
});

test('filters (keys, types, minSeverity) apply to the snapshot and to live events; an episode that reached minSeverity is followed to its end', (t) => {
  const h = feedHub({ subscribeGraceMs: 10_000 });
  t.after(() => h.closeAll());
  h.broadcast(fakeEvent('storm.started', { episodeId: 'storm-a', key: 'a', severity: 80 }));
  h.broadcast(fakeEvent('storm.started', { episodeId: 'storm-b', key: 'b', severity: 80 }));
  h.broadcast(fakeEvent('drizzle.started', { episodeId: 'drizzle-a', key: 'a', severity: 30 }));
  const socket = connect(h);
  socket.receive({ kind: 'subscribe', keys: ['a'], minSeverity: 50 });
  const snapshot = socket.messages().find((m) => m.kind === 'snapshot');
  assert.ok(snapshot?.kind === 'snapshot');
  assert.deepEqual(snapshot.episodes.map((e) => e.episodeId), ['storm-a']);
  const subscribed = socket.messages().find((m) => m.kind === 'subscribed');
  assert.deepEqual(subscribed?.kind === 'subscribed' && subscribed.filter, { keys: ['a'], types: [], minSeverity: 50 });

  h.broadcast(fakeEvent('storm.escalated', { episodeId: 'storm-b', key: 'b', sequence: 2, severity: 95 })); // other key
  h.broadcast(fakeEvent('drizzle.ended', { episodeId: 'drizzle-a', key: 'a', sequence: 2, severity: 30 })); // never reached 50
  h.broadcast(fakeEvent('storm.subsided', { episodeId: 'storm-a', key: 'a', sequence: 2, severity: 20 })); // followed: peak 80
  h.broadcast(fakeEvent('storm.ended', { episodeId: 'storm-a', key: 'a', sequence: 3, severity: 5 }));
  h.broadcast(fakeEvent('surge.started', { episodeId: 'surge-a', key: 'a', severity: 40 }));
  h.broadcast(fakeEvent('surge.ended', { episodeId: 'surge-a', key: 'a', sequence: 2, severity: 10 }));
  h.broadcast(fakeEvent('drizzle.started', { episodeId: 'drizzle-a2', key: 'a', severity: 60 }));
  assert.deepEqual(socket.events().map((e) => e.id), ['storm-a-2', 'storm-a-3', 'drizzle-a2-1']);

  // A new subscribe replaces the filter and answers with a fresh snapshot.
  socket.receive({ kind: 'subscribe', types: ['drizzle.started', 'drizzle.ended'] });
  const snapshots = socket.messages().filter((m) => m.kind === 'snapshot');
  assert.equal(snapshots.length, 2);
  assert.ok(snapshots[1]?.kind === 'snapshot');
  assert.deepEqual(snapshots[1].episodes.map((e) => e.episodeId), ['drizzle-a2']);
  h.broadcast(fakeEvent('storm.escalated', { episodeId: 'storm-b', key: 'b', sequence: 3, severity: 99 }));
  h.broadcast(fakeEvent('drizzle.ended', { episodeId: 'drizzle-a2', key: 'a', sequence: 2, severity: 60 }));
  assert.deepEqual(socket.events().map((e) => e.id).slice(3), ['drizzle-a2-2']);
});

test('resumeFrom replays the missed (filtered) events from history; gone history, another feedId or an unknown seq answer resync + snapshot', (t) => {
  const h = feedHub({ subscribeGraceMs: 10_000, historySize: 5 });
  t.after(() => h.closeAll());
  for (let i = 1; i <= 4; i++) h.broadcast(fakeEvent('storm.started', { episodeId: `storm-${i}`, key: i % 2 === 0 ? 'even' : 'odd' }));

  const resumed = connect(h);
  resumed.receive({ kind: 'subscribe', resumeFrom: 1, feedId: h.feedId, keys: ['even'] });
  assert.deepEqual(resumed.kinds(), ['hello', 'subscribed', 'event', 'event']);
  assert.deepEqual(resumed.events().map((e) => e.seq), [2, 4]);
  const ack = resumed.messages()[1];
  assert.ok(ack?.kind === 'subscribed' && ack.mode === 'resume' && ack.seq === 4);
  h.broadcast(fakeEvent('storm.ended', { episodeId: 'storm-2', key: 'even', sequence: 2 }));
  assert.deepEqual(resumed.events().map((e) => e.seq), [2, 4, 5]);

  const upToDate = connect(h);
  upToDate.receive({ kind: 'subscribe', resumeFrom: 5 });
  assert.deepEqual(upToDate.kinds(), ['hello', 'subscribed']);

  for (let i = 6; i <= 9; i++) h.broadcast(fakeEvent('drizzle.started', { episodeId: `drizzle-${i}`, key: 'odd' }));
  // History holds seq 5..9 now: resuming from 3 would miss 4.
  const gone = connect(h);
  gone.receive({ kind: 'subscribe', resumeFrom: 3 });
  assert.deepEqual(gone.kinds(), ['hello', 'subscribed', 'resync', 'snapshot']);
  const resync = gone.messages()[2];
  assert.ok(resync?.kind === 'resync');
  assert.deepEqual({ reason: resync.reason, fromSeq: resync.fromSeq, seq: resync.seq }, { reason: 'history_gone', fromSeq: 5, seq: 9 });
  const justInTime = connect(h);
  justInTime.receive({ kind: 'subscribe', resumeFrom: 4 });
  assert.deepEqual(justInTime.events().map((e) => e.seq), [5, 6, 7, 8, 9]);

  const restarted = connect(h);
  restarted.receive({ kind: 'subscribe', resumeFrom: 2, feedId: 'another-process' });
  assert.equal((restarted.messages().find((m) => m.kind === 'resync') as { reason: string } | undefined)?.reason, 'feed_restarted');
  const ahead = connect(h);
  ahead.receive({ kind: 'subscribe', resumeFrom: 100 });
  assert.equal((ahead.messages().find((m) => m.kind === 'resync') as { reason: string } | undefined)?.reason, 'unknown_seq');
  assert.ok(ahead.kinds().includes('snapshot'));
});

test('a client that stops reading is cut with 4409 once its queue is over the bound; the others get every event', async (t) => {
  const h = hub({ maxQueuedMessages: 20, maxBufferedBytes: 10 * 1024 * 1024 });
  t.after(() => h.closeAll());
  const slow = connect(h);
  const fast = connect(h);
  const slowCuts: [number, number][] = [];
  const reasons: string[] = [];
  h.on('slowClient', (id, dropped) => slowCuts.push([id, dropped]));
  h.on('disconnected', (_n, reason) => reasons.push(reason));
  slow.stall();
  let n = 0;
  while (slow.closedWith === undefined && n < 10_000) h.broadcast(fakeEvent('storm.escalated', { sequence: ++n }));
  assert.equal(slow.closedWith?.[0], 4409);
  // 64 KiB handed to the socket (about 60 events of ~1 KiB) plus 20 queued: cut long before 10 000.
  assert.ok(n < 200, `cut after ${n} events`);
  assert.equal(slowCuts.length, 1);
  assert.equal(slowCuts[0]?.[1], 21);
  assert.deepEqual(reasons, ['slow_consumer']);
  assert.equal(h.size, 1);
  for (let i = 0; i < 100; i++) h.broadcast(fakeEvent('storm.escalated', { sequence: ++n }));
  await tick();
  assert.deepEqual(fast.events().map((e) => e.seq), Array.from({ length: n }, (_, i) => i + 1));
});

test('a queue bounded by bytes cuts too; a client that catches up drains its queue in order', async (t) => {
  const h = hub({ maxQueuedMessages: 1000, maxBufferedBytes: 160 * 1024 });
  t.after(() => h.closeAll());
  const lagging = connect(h);
  lagging.stall();
  for (let i = 1; i <= 100; i++) h.broadcast(fakeEvent('storm.escalated', { sequence: i }));
  assert.equal(lagging.closedWith, undefined, 'still within its bounds');
  const handed = lagging.events().length;
  assert.ok(handed < 100, `some wait in the queue (${handed} handed to the socket)`);
  lagging.release();
  await tick();
  assert.deepEqual(lagging.events().map((e) => e.seq), Array.from({ length: 100 }, (_, i) => i + 1));

  lagging.stall();
  let n = 100;
  while (lagging.closedWith === undefined && n < 2000) h.broadcast(fakeEvent('storm.escalated', { sequence: ++n }));
  assert.equal(lagging.closedWith?.[0], 4409);
  assert.ok(n < 400, `cut by bytes after ${n - 100} more events`);
});

test('token: missing or wrong closes with 4401; right is accepted', (t) => {
  const h = hub({ token: 's3cret' });
  t.after(() => h.closeAll());
  const reasons: string[] = [];
  h.on('disconnected', (_n, reason) => reasons.push(reason));
  const none = connect(h);
  const wrong = connect(h, 'nope');
  const right = connect(h, 's3cret');
  assert.equal(none.closedWith?.[0], 4401);
  assert.equal(wrong.closedWith?.[0], 4401);
  assert.deepEqual(none.sent, [], 'nothing is sent before the close');
  assert.equal(right.closedWith, undefined);
  assert.equal(right.kinds()[0], 'hello');
  assert.equal(h.size, 1);
  assert.deepEqual(reasons, ['unauthorized', 'unauthorized']);
});

test('maxClients: one more is closed with 4429', (t) => {
  const h = hub({ maxClients: 2 });
  t.after(() => h.closeAll());
  connect(h);
  connect(h);
  const third = connect(h);
  assert.equal(third.closedWith?.[0], 4429);
  assert.equal(h.size, 2);
});

test('heartbeats: a ping and a heartbeat message each round; a client silent past idleTimeoutMs is closed with 4408', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  let now = 1_000_000;
  const h = hub({ heartbeatMs: 100, idleTimeoutMs: 250 }, () => now);
  t.after(() => h.closeAll());
  const alive = connect(h);
  const silent = connect(h);
  /** One heartbeat interval, the wall clock moving with it; `alive` answers the pings. */
  const round = (): void => {
    now += 100;
    alive.emit('pong');
    t.mock.timers.tick(100);
  };
  round();
  round();
  assert.equal(silent.closedWith, undefined, 'silent for 200 ms: within the idle timeout');
  round();
  assert.equal(silent.closedWith?.[0], 4408, 'silent for 300 ms');
  round();
  assert.equal(alive.closedWith, undefined);
  assert.equal(alive.pings, 4);
  const beat = alive.messages().find((m) => m.kind === 'heartbeat');
  assert.ok(beat?.kind === 'heartbeat' && typeof beat.seq === 'number' && typeof beat.serverTime === 'string');
});

test('client messages: ping gets pong; bad JSON and unknown or invalid messages get an error and the connection stays; too big closes with 4413', (t) => {
  const h = hub({ maxMessageBytes: 256 });
  t.after(() => h.closeAll());
  const socket = connect(h);
  socket.receive({ kind: 'ping', id: 7 });
  socket.receive('{nope');
  socket.receive({ kind: 'dance' });
  socket.receive({ kind: 'subscribe', minSeverity: 'high' });
  socket.receive({ kind: 'subscribe', types: ['storm.exploded'] });
  socket.emit('message', Buffer.from([1, 2, 3]), true);
  const replies = socket.messages().slice(3);
  assert.ok(replies[0]?.kind === 'pong' && replies[0].id === 7);
  assert.deepEqual(
    replies.slice(1).map((m) => (m.kind === 'error' ? m.code : m.kind)),
    ['invalid_json', 'invalid_message', 'invalid_message', 'invalid_message', 'invalid_message'],
  );
  assert.match((replies[3] as { message: string }).message, /minSeverity/);
  assert.equal(socket.closedWith, undefined);
  socket.receive({ kind: 'subscribe', keys: ['x'.repeat(300)] });
  assert.equal(socket.closedWith?.[0], 4413);
});

test('a throwing socket does not stop the broadcast', (t) => {
  const h = hub();
  t.after(() => h.closeAll());
  const broken = connect(h);
  const ok = connect(h);
  broken.failSend = true;
  const errors: Error[] = [];
  h.on('sendError', (_id, error) => errors.push(error));
  h.broadcast(fakeEvent('storm.started'));
  assert.equal(ok.events().length, 1);
  assert.equal(errors.length, 1);
});

test('clients leave on close; closeAll closes with 1001 and refuses newcomers; idempotent', (t) => {
  const h = hub();
  const a = connect(h);
  const b = connect(h);
  const counts: number[] = [];
  h.on('disconnected', (n) => counts.push(n));
  a.close(1000, 'bye');
  assert.equal(h.size, 1);
  assert.deepEqual(counts, [1]);
  h.closeAll();
  assert.equal(h.size, 0);
  assert.equal(b.closedWith?.[0], 1001);
  const late = connect(h);
  assert.equal(h.size, 0);
  assert.equal(late.closedWith?.[0], 1001);
  h.closeAll();
  t.diagnostic('closed with 1001 going away');
});

test('sequence numbers are global and keep counting with no client; history is bounded', () => {
  const h = hub({ historySize: 3 });
  for (let i = 1; i <= 10; i++) h.broadcast(fakeEvent('storm.escalated', { sequence: i }));
  assert.equal(h.seq, 10);
  const socket = connect(h);
  socket.receive({ kind: 'subscribe', resumeFrom: 7 });
  assert.deepEqual(socket.events().map((e) => e.seq), [8, 9, 10]);
  h.closeAll();
});
