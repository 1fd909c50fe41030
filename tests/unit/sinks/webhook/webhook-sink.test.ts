import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createLogger } from '../../../../src/logging.js';
import { Metrics } from '../../../../src/metrics/metrics.js';
import { slackMessage } from '../../../../src/sinks/webhook/messages.js';
import { WebhookSink, type WebhookDeadLetter, type WebhookTarget } from '../../../../src/sinks/webhook/webhook-sink.js';
import { fakeEvent } from '../../server/fixtures.js';
import { until } from '../../../support/until.js';

const silent = createLogger({ log: { level: 'silent' } });

/** A receiver on 127.0.0.1 answering each request with `status(path, n)` (n: that path's request count). */
async function receiver(t: { after(fn: () => Promise<void>): void }, status: (path: string, n: number) => number) {
  const requests: { path: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString('utf8')));
    request.on('end', () => {
      const path = request.url ?? '';
      counts.set(path, (counts.get(path) ?? 0) + 1);
      requests.push({ path, body, headers: request.headers });
      response.writeHead(status(path, counts.get(path)!)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function sink(targets: WebhookTarget[], letters: WebhookDeadLetter[], maxAttempts = 3) {
  const metrics = new Metrics(new Registry(), { defaultMetrics: false });
  const s = new WebhookSink({
    targets,
    maxAttempts,
    initialBackoffMs: 10,
    maxBackoffMs: 20,
    timeoutMs: 2000,
    maxQueuedEvents: 2,
    deadLetters: { write: async (l) => void letters.push(...l) },
    requests: metrics.webhookRequests,
    deadLettered: metrics.webhookDeadLetters,
    logger: silent,
    nowMs: () => Date.parse('2026-01-01T00:00:00Z'),
  });
  return { sink: s, metrics };
}

const target = (name: string, url: string, extra: Partial<WebhookTarget> = {}): WebhookTarget => ({ name, url, format: 'json', levels: [], minSeverity: 0, keys: [], secret: 's', ...extra });

test('filters per target: levels, keys, and minSeverity per episode (its later events and its end follow)', async (t) => {
  const r = await receiver(t, () => 200);
  const letters: WebhookDeadLetter[] = [];
  const { sink: s } = sink(
    [target('storms', `${r.url}/storms`, { levels: ['storm'] }), target('bank', `${r.url}/bank`, { keys: ['bank'] }), target('severe', `${r.url}/severe`, { minSeverity: 70 })],
    letters,
  );
  await s.publish([
    fakeEvent('storm.started', { severity: 50 }),
    fakeEvent('drizzle.started', { key: 'bank', severity: 80 }),
    fakeEvent('storm.escalated', { sequence: 2, severity: 75 }),
    fakeEvent('storm.ended', { sequence: 3, severity: 10 }),
  ]);
  await s.close();
  const by = (path: string): string[] => r.requests.filter((q) => q.path === path).map((q) => (JSON.parse(q.body) as { id: string }).id);
  assert.deepEqual(by('/storms'), ['storm-0000000000000001-1', 'storm-0000000000000001-2', 'storm-0000000000000001-3']);
  assert.deepEqual(by('/bank'), ['drizzle-0000000000000001-1']);
  assert.deepEqual(by('/severe'), ['drizzle-0000000000000001-1', 'storm-0000000000000001-2', 'storm-0000000000000001-3']);
  assert.deepEqual(letters, []);
});

test('retries 5xx with backoff, dead-letters after the last attempt, and at once on a 4xx; order kept', async (t) => {
  const r = await receiver(t, (path, n) => (path === '/flaky' ? (n === 1 ? 503 : 200) : path === '/gone' ? 410 : 500));
  const letters: WebhookDeadLetter[] = [];
  const { sink: s, metrics } = sink([target('flaky', `${r.url}/flaky`), target('gone', `${r.url}/gone`), target('down', `${r.url}/down`)], letters);
  await s.publish([fakeEvent('storm.started'), fakeEvent('storm.ended', { sequence: 2 })]);
  // Before close: close stops retrying (next test).
  await until(() => letters.length >= 4 && r.requests.filter((q) => q.path === '/flaky').length >= 3);
  await s.close();
  assert.deepEqual(r.requests.filter((q) => q.path === '/flaky').map((q) => q.headers['stormwatch-event-id']), ['storm-0000000000000001-1', 'storm-0000000000000001-1', 'storm-0000000000000001-2']);
  assert.equal(r.requests.filter((q) => q.path === '/gone').length, 2, 'a 410 is not retried');
  assert.equal(r.requests.filter((q) => q.path === '/down').length, 6, 'three attempts per event');
  // Targets deliver independently: each one's letters in its own order.
  const of = (name: string) => letters.filter((l) => l.target === name).map((l) => [l.reason, l.attempts, l.lastError, l.event.id]);
  assert.deepEqual(of('gone'), [
    ['rejected', 1, 'HTTP 410', 'storm-0000000000000001-1'],
    ['rejected', 1, 'HTTP 410', 'storm-0000000000000001-2'],
  ]);
  assert.deepEqual(of('down'), [
    ['attempts_exhausted', 3, 'HTTP 500', 'storm-0000000000000001-1'],
    ['attempts_exhausted', 3, 'HTTP 500', 'storm-0000000000000001-2'],
  ]);
  assert.deepEqual(of('flaky'), []);
  const text = await metrics.registry.metrics();
  assert.match(text, /stormwatch_webhook_requests_total\{target="flaky",outcome="failed"\} 1\n/);
  assert.match(text, /stormwatch_webhook_requests_total\{target="flaky",outcome="delivered"\} 2\n/);
  assert.match(text, /stormwatch_webhook_dead_letters_total\{target="down",reason="attempts_exhausted"\} 2\n/);
});

test('a full queue dead-letters its oldest waiting event; close stops retrying and dead-letters the rest as shutdown', async (t) => {
  const r = await receiver(t, () => 500);
  const letters: WebhookDeadLetter[] = [];
  const { sink: s } = sink([target('down', `${r.url}/down`)], letters, 100);
  await s.publish([1, 2, 3, 4].map((n) => fakeEvent(n === 1 ? 'storm.started' : 'storm.escalated', { sequence: n })));
  await until(() => r.requests.length >= 2); // 1 is being retried
  await s.close();
  // 1 is in flight (not queued), 2 falls out of the queue of 2 when 4 arrives, 3 and 4 wait.
  assert.deepEqual(
    letters.map((l) => [l.reason, l.event.sequence]),
    [
      ['queue_full', 2],
      ['shutdown', 1],
      ['shutdown', 3],
      ['shutdown', 4],
    ],
  );
});

test('unsigned without a secret; signed headers with one', async (t) => {
  const r = await receiver(t, () => 200);
  const { sink: s } = sink([target('a', `${r.url}/a`, { secret: undefined }), target('b', `${r.url}/b`)], []);
  await s.publish([fakeEvent('storm.started')]);
  await s.close();
  const [a, b] = [r.requests.find((q) => q.path === '/a')!, r.requests.find((q) => q.path === '/b')!];
  assert.equal(a.headers['stormwatch-signature'], undefined);
  assert.equal(b.headers['stormwatch-timestamp'], '1767225600');
  assert.match(String(b.headers['stormwatch-signature']), /^v1=[0-9a-f]{64}$/);
});

test('Slack message: text, a header, the explanation with fields, the first playbook steps, escaped', () => {
  const message = slackMessage(fakeEvent('storm.started', { explanation: 'refunds <delayed> & angry', playbook: ['one', 'two', 'three', 'four'] }));
  assert.equal(message.text, 'storm.started acme-air (severity 60): refunds &lt;delayed&gt; &amp; angry');
  assert.deepEqual(message.blocks[0], { type: 'header', text: { type: 'plain_text', text: 'storm.started · acme-air' } });
  assert.deepEqual(message.blocks[1], {
    type: 'section',
    text: { type: 'mrkdwn', text: 'refunds &lt;delayed&gt; &amp; angry' },
    fields: [
      { type: 'mrkdwn', text: '*Level*\nstorm' },
      { type: 'mrkdwn', text: '*Severity*\n60/100' },
      { type: 'mrkdwn', text: '*Mentions*\n500 in 5 min (usual 50.0)' },
      { type: 'mrkdwn', text: '*Negative*\n80% (usual 20%)' },
    ],
  });
  assert.deepEqual(message.blocks[2], { type: 'section', text: { type: 'mrkdwn', text: '• one\n• two\n• three' } });
  assert.deepEqual(message.blocks[3], { type: 'context', elements: [{ type: 'mrkdwn', text: 'episode storm-0000000000000001 · event 1 · 2025-03-03T12:08:00.000Z' }] });
});

test('Slack message of an acknowledged event: who took it, not the explanation again', () => {
  const message = slackMessage(fakeEvent('storm.acknowledged', { acknowledgement: { by: 'Dana', note: 'on it', at: '2026-01-01T10:00:00.000Z' } }));
  assert.equal(message.text, 'storm.acknowledged acme-air (severity 60): acknowledged by Dana: on it');
  assert.deepEqual((message.blocks[1] as { text: unknown }).text, { type: 'mrkdwn', text: 'acknowledged by Dana: on it' });
});
