// Webhooks through the real service: the accelerated simulator plays the acme-air storm and three
// targets get it from a local HTTP receiver on 127.0.0.1. The receiver checks every signature on
// its own (node:crypto, not the service's code) and the replay window; it refuses the first request
// with 503 so the retry is exercised. A target that always answers 500 ends in the dead-letter file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClassificationEvent } from '../../src/events/classification.js';
import type { WebhookDeadLetter } from '../../src/sinks/webhook/webhook-sink.js';
import { assertValidEvent } from '../support/detection.js';
import { metricValue } from '../support/kafka.js';
import { embeddedServiceEnv, spawnNode } from '../support/processes.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
// 900×: the 6 h warm-up passes in 24 s; the acme-air storm starts ~25 s and ends ~31 s after start.
const SPEEDUP = 900;
const SECRET = 'whsec-test-0123456789';
const WINDOW_S = 300;

interface Received {
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
  signature: 'ok' | 'bad' | 'unsigned';
}

/** The receiver's own check: v1 = hex HMAC-SHA256(secret, `${timestamp}.${body}`), timestamp within the window. */
function checkSignature(headers: IncomingMessage['headers'], body: string): Received['signature'] {
  const timestamp = headers['stormwatch-timestamp'];
  const signature = headers['stormwatch-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return 'unsigned';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WINDOW_S) return 'bad';
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature.replace(/^v1=/, ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad';
}

test('webhooks: signed JSON and Slack messages of the acme-air storm, a retry after 503, a dead letter after the last attempt', { timeout: 150_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-webhooks-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  const received: Received[] = [];
  let refusedFirst = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      const signature = checkSignature(request.headers, body);
      received.push({ path, body, headers: request.headers, signature });
      if (path === '/down') return response.writeHead(500).end();
      if (path === '/ops' && !refusedFirst) {
        refusedFirst = true;
        return response.writeHead(503, { 'retry-after': '0' }).end();
      }
      response.writeHead(signature === 'bad' ? 401 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const deadLetterPath = join(dir, 'webhook-dead-letters.ndjson');
  const configPath = join(dir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({
      webhooks: {
        targets: [
          { name: 'ops', url: `${receiver}/ops`, format: 'json', levels: ['storm'] },
          { name: 'chat-room', url: `${receiver}/slack`, format: 'slack', keys: ['acme-air'], minSeverity: 1 },
          { name: 'down', url: `${receiver}/down`, format: 'json', levels: ['storm'], keys: ['acme-air'] },
        ],
        maxAttempts: 3,
        initialBackoffMs: 50,
        maxBackoffMs: 200,
        timeoutMs: 2000,
        deadLetterPath,
      },
    }),
  );
  const env = embeddedServiceEnv(dir, SPEEDUP, { STORMWATCH_WEBHOOK_SECRET_OPS: SECRET, STORMWATCH_WEBHOOK_SECRET_DOWN: SECRET });
  env.STORMWATCH_CONFIG = configPath;
  const service = spawnNode(MAIN, [], { env });
  t.after(() => service.kill('SIGKILL', 1000));
  const listening = JSON.parse(await service.waitForLine(/stormwatch listening/, 20_000)) as { port: number; webhooks: string[] };
  assert.deepEqual(listening.webhooks, ['ops', 'chat-room', 'down']);
  assert.ok(!service.lines.some((l) => l.line.includes(SECRET)), 'the secret is never logged');

  const deadline = Date.now() + 100_000;
  const ops = (): ClassificationEvent[] => received.filter((r) => r.path === '/ops' && r.signature === 'ok').map((r) => JSON.parse(r.body) as ClassificationEvent);
  while (!ops().some((e) => e.type === 'storm.ended' && e.key === 'acme-air') || !received.some((r) => r.path === '/slack' && r.body.includes('storm.ended'))) {
    assert.ok(Date.now() < deadline, `the storm's start and end reach the receiver (got ${received.map((r) => r.path).join(' ')}); last lines:\n${service.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  // ops: signed, the event exactly as on the alert topic, storms only, in order; the refused first request retried.
  assert.ok(refusedFirst);
  const opsRequests = received.filter((r) => r.path === '/ops');
  assert.deepEqual(opsRequests.map((r) => r.signature).filter((s) => s !== 'ok'), [], 'every ops request carries a valid signature');
  const first = opsRequests[0]!;
  assert.equal(opsRequests[1]!.headers['stormwatch-event-id'], first.headers['stormwatch-event-id'], 'the refused event is sent again, first');
  const opsEvents = ops().slice(1);
  for (const event of ops()) assertValidEvent(event);
  assert.ok(opsEvents.every((e) => e.level === 'storm'), 'levels filter: storms only');
  const acme = opsEvents.filter((e) => e.key === 'acme-air');
  assert.equal(acme[0]!.type, 'storm.started');
  assert.deepEqual(acme.map((e) => e.sequence), acme.map((_, i) => i + 1), 'one episode, in order, no gaps');
  assert.equal(first.headers['content-type'], 'application/json');
  assert.equal(first.headers['stormwatch-event-type'], JSON.parse(first.body).type);

  // chat-room: Slack messages for acme-air only, unsigned (no secret set), text and blocks.
  const slack = received.filter((r) => r.path === '/slack');
  assert.ok(slack.every((r) => r.signature === 'unsigned'));
  const messages = slack.map((r) => JSON.parse(r.body) as { text: string; blocks: { type: string }[] });
  assert.ok(messages.every((m) => m.text.includes('acme-air') && m.blocks[0]!.type === 'header' && m.blocks.some((b) => b.type === 'section')), 'keys filter and Slack shape');
  assert.match(messages[0]!.text, /^storm\.started acme-air \(severity \d+\): /);

  // down: every attempt failed → the dead-letter file, the event in full.
  let letters: WebhookDeadLetter[] = [];
  while (letters.length === 0 || !letters.some((l) => l.event.type === 'storm.ended')) {
    assert.ok(Date.now() < deadline, 'dead letters of the down target');
    await new Promise((resolve) => setTimeout(resolve, 250));
    letters = (await readFile(deadLetterPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as WebhookDeadLetter);
  }
  assert.ok(letters.every((l) => l.target === 'down' && l.reason === 'attempts_exhausted' && l.attempts === 3 && l.lastError === 'HTTP 500'), JSON.stringify(letters[0]));
  assert.equal(received.filter((r) => r.path === '/down').length, 3 * letters.length, 'three attempts per event');
  for (const letter of letters) assertValidEvent(letter.event);

  const metrics = await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text();
  assert.equal(metricValue(metrics, 'stormwatch_webhook_requests_total', { target: 'ops', outcome: 'failed' }), 1);
  assert.equal(metricValue(metrics, 'stormwatch_webhook_requests_total', { target: 'ops', outcome: 'delivered' }), ops().length - 1);
  assert.equal(metricValue(metrics, 'stormwatch_webhook_dead_letters_total', { target: 'down', reason: 'attempts_exhausted' }), letters.length);
  t.diagnostic(`ops got ${ops().length} events (${acme.length} of the acme-air storm), chat-room ${slack.length} messages, down ${letters.length} dead letters after ${received.filter((r) => r.path === '/down').length} attempts`);
  const exit = await service.kill('SIGTERM', 10_000);
  assert.equal(exit.code, 0);
});
