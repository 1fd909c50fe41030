import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { FeedHub } from '../../../src/server/feed-hub.js';
import { fakeEvent } from './fixtures.js';

/** Enough of a ws socket for the hub: readyState, bufferedAmount, send, close. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: [number, string] | undefined;
  failSend = false;
  send(data: string): void {
    if (this.failSend) throw new Error('socket broke');
    this.sent.push(data);
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.readyState = 3;
  }
}

const asWs = (s: FakeSocket): WebSocket => s as unknown as WebSocket;

test('broadcast sends one JSON message per event to every client', () => {
  const hub = new FeedHub();
  const a = new FakeSocket();
  const b = new FakeSocket();
  hub.add(asWs(a));
  hub.add(asWs(b));
  const event = fakeEvent('storm.started');
  hub.broadcast(event);
  assert.deepEqual(a.sent.map((m) => JSON.parse(m)), [event]);
  assert.deepEqual(b.sent, a.sent);
});

test('a client with too much buffered misses events, and the drop is reported; others still get them', () => {
  const hub = new FeedHub({ maxBufferedBytes: 1000 });
  const slow = new FakeSocket();
  const fast = new FakeSocket();
  hub.add(asWs(slow));
  const fastClient = hub.add(asWs(fast));
  const dropped: number[] = [];
  hub.on('dropped', (id) => dropped.push(id));
  slow.bufferedAmount = 5000;
  hub.broadcast(fakeEvent('storm.started'));
  assert.equal(slow.sent.length, 0);
  assert.equal(fast.sent.length, 1);
  assert.equal(dropped.length, 1);
  assert.notEqual(dropped[0], fastClient.id);
  slow.bufferedAmount = 0;
  hub.broadcast(fakeEvent('storm.ended'));
  assert.equal(slow.sent.length, 1);
});

test('a throwing socket does not stop the broadcast', () => {
  const hub = new FeedHub();
  const broken = new FakeSocket();
  broken.failSend = true;
  const ok = new FakeSocket();
  hub.add(asWs(broken));
  hub.add(asWs(ok));
  const errors: Error[] = [];
  hub.on('sendError', (_id, error) => errors.push(error));
  assert.equal(hub.send('x'), 1);
  assert.equal(ok.sent.length, 1);
  assert.equal(errors.length, 1);
});

test('clients leave on close; closeAll closes with 1001 and refuses newcomers', () => {
  const hub = new FeedHub();
  const a = new FakeSocket();
  const b = new FakeSocket();
  const counts: number[] = [];
  hub.on('disconnected', (n) => counts.push(n));
  hub.add(asWs(a));
  hub.add(asWs(b));
  a.emit('close');
  assert.equal(hub.size, 1);
  assert.deepEqual(counts, [1]);
  hub.closeAll();
  assert.equal(hub.size, 0);
  assert.equal(b.closedWith?.[0], 1001);
  const late = new FakeSocket();
  hub.add(asWs(late));
  assert.equal(hub.size, 0);
  assert.equal(late.closedWith?.[0], 1001);
  hub.closeAll(); // idempotent
});
