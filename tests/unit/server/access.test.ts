import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import { createLogger } from '../../../src/logging.js';
import { Metrics } from '../../../src/metrics/metrics.js';
import { buildApp } from '../../../src/server/app.js';
import { feedHub } from '../../support/feed.js';
import { observeFeed } from '../../../src/server/feed-observer.js';
import { accessPolicy, hostAllowed, hostnameOf, normalizedOrigin, originAllowed, type AccessRefusal } from '../../../src/server/protocol/access.js';
import { EpisodeBoard } from '../../../src/episodes/board.js';
import { FeedSink } from '../../../src/sinks/feed-sink.js';
import { fakeEvent } from './fixtures.js';
import { until } from '../../support/until.js';

const loopbackOnly = accessPolicy({ boundHost: '127.0.0.1', interfaceAddresses: [], allowedHosts: [], allowedOrigins: [] });

test('hostnameOf: lower case, no port, no brackets, no trailing dot; malformed values are undefined', () => {
  assert.equal(hostnameOf('LocalHost:8080'), 'localhost');
  assert.equal(hostnameOf('[::1]:8080'), '::1');
  assert.equal(hostnameOf('localhost.'), 'localhost');
  assert.equal(hostnameOf('127.0.0.1'), '127.0.0.1');
  for (const bad of ['', 'a b', 'evil.example/path', 'user@localhost', 'localhost:80:80', 'localhost:port', '::1']) assert.equal(hostnameOf(bad), undefined, bad);
});

test('Host allow-list: loopback names and addresses, the bound address, server.allowedHosts; a rebinding name is refused', () => {
  for (const host of ['localhost:8080', 'app.localhost', '127.0.0.1:8080', '127.1.2.3', '[::1]:8080']) assert.equal(hostAllowed(loopbackOnly, host), true, host);
  assert.equal(hostAllowed(loopbackOnly, undefined), true, 'no Host: not a browser');
  for (const host of ['rebind.attacker.example:8080', '192.168.1.10:8080', 'localhost.attacker.example', '127.0.0.1.nip.io']) assert.equal(hostAllowed(loopbackOnly, host), false, host);

  const bound = accessPolicy({ boundHost: '192.168.1.10', interfaceAddresses: ['10.0.0.5'], allowedHosts: ['Stormwatch'], allowedOrigins: [] });
  assert.equal(hostAllowed(bound, '192.168.1.10:8080'), true);
  assert.equal(hostAllowed(bound, 'stormwatch:8080'), true, 'allowed host, any case, any port');
  assert.equal(hostAllowed(bound, '10.0.0.5'), false, 'interfaces count only when bound to a wildcard');

  const wildcard = accessPolicy({ boundHost: '0.0.0.0', interfaceAddresses: ['10.0.0.5', 'fe80::1'], allowedHosts: [], allowedOrigins: [] });
  assert.equal(hostAllowed(wildcard, '10.0.0.5:8080'), true);
  assert.equal(hostAllowed(wildcard, '[fe80::1]:8080'), true);
  assert.equal(hostAllowed(wildcard, 'stormwatch:8080'), false);
  assert.equal(hostAllowed(accessPolicy({ boundHost: '0.0.0.0', interfaceAddresses: [], allowedHosts: ['*'], allowedOrigins: [] }), 'anything.example'), true);
});

test('Origin allow-list: none (not a browser), the same origin, server.allowedOrigins; another port or null is refused', () => {
  assert.equal(originAllowed(loopbackOnly, undefined, 'localhost:8080'), true);
  assert.equal(originAllowed(loopbackOnly, 'http://localhost:8080', 'localhost:8080'), true);
  assert.equal(originAllowed(loopbackOnly, 'https://localhost:8080', 'LOCALHOST:8080'), true);
  assert.equal(originAllowed(loopbackOnly, 'http://localhost', 'localhost:80'), true, 'default port');
  assert.equal(originAllowed(loopbackOnly, 'http://localhost:18490', 'localhost:8080'), false, 'another port is another origin');
  assert.equal(originAllowed(loopbackOnly, 'http://127.0.0.1:8080', 'localhost:8080'), false);
  assert.equal(originAllowed(loopbackOnly, 'null', 'localhost:8080'), false);
  assert.equal(originAllowed(loopbackOnly, 'http://localhost:8080', undefined), false);

  const listed = accessPolicy({ boundHost: '127.0.0.1', interfaceAddresses: [], allowedHosts: [], allowedOrigins: ['https://Dash.Example.com:443', 'http://localhost:3000'] });
  assert.equal(originAllowed(listed, 'https://dash.example.com', 'localhost:8080'), true);
  assert.equal(originAllowed(listed, 'http://localhost:3000', 'localhost:8080'), true);
  assert.equal(originAllowed(listed, 'http://dash.example.com', 'localhost:8080'), false, 'scheme is part of the origin');
  assert.equal(originAllowed(accessPolicy({ boundHost: '127.0.0.1', interfaceAddresses: [], allowedHosts: [], allowedOrigins: ['*'] }), 'http://anything.example', 'localhost:8080'), true);
});

test('normalizedOrigin: scheme://host[:port] only', () => {
  assert.equal(normalizedOrigin('HTTPS://Dash.Example.com:443'), 'https://dash.example.com');
  assert.equal(normalizedOrigin('http://localhost:3000/'), 'http://localhost:3000');
  for (const bad of ['dash.example.com', 'http://x.example/path', 'http://x.example?q', 'null', 'file:///tmp/a.html']) assert.equal(normalizedOrigin(bad), undefined, bad);
});

/** The app on a real loopback port, with the metrics and log lines a service would have. */
async function served(t: { after(fn: () => unknown): void }, allowedOrigins: string[] = [], token = '') {
  const hub = feedHub({ subscribeGraceMs: 0, token });
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false });
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ log: { level: 'debug' } }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  observeFeed(hub, metrics, logger);
  const access = accessPolicy({ boundHost: '127.0.0.1', interfaceAddresses: [], allowedHosts: [], allowedOrigins });
  const onRefused = (reason: AccessRefusal): void => metrics.httpRefused.inc({ reason });
  const app = await buildApp({ feed: hub, board: new EpisodeBoard(), registry, logger, readiness: () => ({ ready: true, checks: {} }), access, onRefused });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const counter = async (name: string, labels: string): Promise<number> => {
    const match = new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(await registry.metrics());
    return match ? Number(match[1]) : Number.NaN;
  };
  return { hub, port, lines, counter };
}

/** Opens /ws with these headers; resolves with the first message, or the refusal status. */
function openWs(port: number, options: { origin?: string; host?: string; token?: string }): Promise<{ status?: number; first?: { kind: string } }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${options.token !== undefined ? `?token=${options.token}` : ''}`, { ...(options.origin !== undefined ? { origin: options.origin } : {}), ...(options.host !== undefined ? { headers: { host: options.host } } : {}) });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('message', (data: Buffer) => {
      resolve({ first: JSON.parse(data.toString('utf8')) });
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

test('a page on another origin (another port) cannot open /ws, token or none: 403 before the upgrade, counted', async (t) => {
  const { hub, port, counter } = await served(t, ['http://localhost:3000']);
  await new FeedSink(hub).publish([fakeEvent('storm.started')]);
  assert.deepEqual(await openWs(port, { origin: 'http://localhost:18490' }), { status: 403 });
  assert.deepEqual(await openWs(port, { origin: 'null' }), { status: 403 });
  assert.equal(await counter('stormwatch_http_requests_refused_total', 'reason="origin_not_allowed"'), 2);
  assert.equal(hub.size, 0);
  // The live page itself (same origin), a listed origin and non-browser clients (no Origin) get the feed.
  assert.equal((await openWs(port, { origin: `http://127.0.0.1:${port}` })).first?.kind, 'hello');
  assert.equal((await openWs(port, { origin: 'http://localhost:3000' })).first?.kind, 'hello');
  assert.equal((await openWs(port, {})).first?.kind, 'hello');
  assert.equal(await counter('stormwatch_http_requests_refused_total', 'reason="origin_not_allowed"'), 2);
});

test('with feed.token set, a page on another origin is refused even when it presents the token', async (t) => {
  const { port, counter } = await served(t, [], 't0ken');
  assert.deepEqual(await openWs(port, { origin: 'http://localhost:18490', token: 't0ken' }), { status: 403 });
  assert.equal((await openWs(port, { origin: `http://127.0.0.1:${port}`, token: 't0ken' })).first?.kind, 'hello');
  assert.equal(await counter('stormwatch_http_requests_refused_total', 'reason="origin_not_allowed"'), 1);
});

test('a rebinding Host is refused on every route but /healthz, the websocket upgrade included; counted', async (t) => {
  const { port, counter } = await served(t);
  const get = (path: string, host: string) => fetchWithHost(port, path, host);
  for (const path of ['/api/episodes', '/metrics', '/readyz', '/', '/nope']) {
    const res = await get(path, `rebind.attacker.example:${port}`);
    assert.equal(res.status, 403, path);
    assert.deepEqual(JSON.parse(res.body), { error: 'host_not_allowed' });
  }
  assert.equal((await get('/healthz', `rebind.attacker.example:${port}`)).status, 200);
  assert.equal((await get('/api/episodes', `localhost:${port}`)).status, 200);
  assert.deepEqual(await openWs(port, { host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` }), { status: 403 });
  assert.equal(await counter('stormwatch_http_requests_refused_total', 'reason="host_not_allowed"'), 6);
});

/** fetch() cannot set Host; a raw HTTP/1.1 request can. */
async function fetchWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const head = text.indexOf('\r\n\r\n');
  const rawBody = text.slice(head + 4);
  // Chunked bodies: the JSON is the one chunk.
  const body = /transfer-encoding: chunked/i.test(text.slice(0, head)) ? rawBody.split('\r\n')[1] ?? '' : rawBody;
  return { status, body };
}

test('malformed websocket frames: a warn line without a stack trace, at most one a minute, each counted as protocol_error', async (t) => {
  const { hub, port, lines, counter } = await served(t);
  const clients = 20;
  for (let i = 0; i < clients; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(ws, 'open');
    await until(() => hub.size === 1);
    const closed = once(ws, 'close');
    // A frame with a reserved opcode (0x3), masked as a client must: the server closes with 1002.
    (ws as unknown as { _socket: import('node:net').Socket })._socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    const [code] = (await closed) as [number];
    assert.equal(code, 1002);
    await until(() => hub.size === 0);
  }
  // One warn line for the first, the others suppressed for a minute (counted in the next line).
  const faults = lines.filter((l) => l.msg === 'websocket client broke the protocol: closed');
  assert.equal(faults.length, 1);
  assert.equal(faults[0]!.level, 40);
  assert.equal(faults[0]!.reason, 'WS_ERR_INVALID_OPCODE');
  assert.equal(faults[0]!.err, undefined);
  assert.equal(lines.filter((l) => (l.level as number) >= 50).length, 0, 'nothing at error level');
  assert.equal(JSON.stringify(lines).includes('    at '), false, 'no stack trace');
  assert.equal(await counter('stormwatch_ws_disconnects_total', 'reason="protocol_error"'), clients);
});
