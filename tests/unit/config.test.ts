import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError } from '../../src/config/schema.js';
import { loadConfig, type LoadConfigOptions } from '../../src/config/load.js';

/** The problems loadConfig lists, or [] when it accepts. */
function problemsOf(options: LoadConfigOptions): readonly string[] {
  try {
    loadConfig(options);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

test('a misspelt STORMWATCH_ variable is an error with the likely setting, not a feed without its token', () => {
  assert.deepEqual(problemsOf({ env: { STORMWATCH_FEED_TOKNE: 's3cret' } }), [
    'STORMWATCH_FEED_TOKNE: not a setting; did you mean STORMWATCH_FEED_TOKEN? (every setting: README "Configuration")',
  ]);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_NOTHING_LIKE_IT: '1' } }), ['STORMWATCH_NOTHING_LIKE_IT: not a setting (every setting: README "Configuration")']);
  // Variables of the tooling and those read elsewhere are not settings and are fine.
  const tooling = { STORMWATCH_KAFKA_PORT: '19092', STORMWATCH_KAFKA_DIR: '/tmp/k', STORMWATCH_TEST_BROKERS: 'x:1', STORMWATCH_BENCH_BROKERS: 'x:1', STORMWATCH_KAFKA_SASL_PASSWORD: 'p', STORMWATCH_CONFIG: '' };
  assert.deepEqual(problemsOf({ env: tooling }), []);
  assert.equal(loadConfig({ env: { STORMWATCH_FEED_TOKEN: 's3cret' } }).feed.token, 's3cret');
});

test('numbers from the environment are decimal and whole where the setting is: no blanks, hex or exponents', () => {
  const port = (raw: string) => problemsOf({ env: { STORMWATCH_SERVER_PORT: raw } });
  for (const raw of [' ', '0x1F90', '8080.5', '8e3', '80 80', '+', 'Infinity']) assert.deepEqual(port(raw), [`server.port (STORMWATCH_SERVER_PORT=${JSON.stringify(raw)}): expected a whole decimal number`], raw);
  assert.equal(loadConfig({ env: { STORMWATCH_SERVER_PORT: '9090' } }).server.port, 9090);
  assert.equal(loadConfig({ env: { STORMWATCH_SIMULATOR_SPEEDUP: '2.5' } }).simulator.speedup, 2.5);
  assert.equal(loadConfig({ env: { STORMWATCH_SIMULATOR_SPEEDUP: '1e3' } }).simulator.speedup, 1000);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_SIMULATOR_SPEEDUP: '0x10' } }), ['simulator.speedup (STORMWATCH_SIMULATOR_SPEEDUP="0x10"): expected a decimal number']);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_KAFKA_IDEMPOTENT: 'yes' } }), ['kafka.idempotent (STORMWATCH_KAFKA_IDEMPOTENT="yes"): expected one of true, false, 1, 0']);
  // PORT is named as PORT when it is what was set.
  assert.deepEqual(problemsOf({ env: { PORT: ' ' } }), ['server.port (PORT=" "): expected a whole decimal number']);
});

test('absurd values are out of range: speedup 1e-300, input.maxBytes 1e12', () => {
  assert.deepEqual(problemsOf({ env: { STORMWATCH_SIMULATOR_SPEEDUP: '1e-300', STORMWATCH_FILE_SPEEDUP: '0' } }), [
    'simulator.speedup (STORMWATCH_SIMULATOR_SPEEDUP="1e-300"): expected number to be greater or equal to 0.001',
    'file.speedup (STORMWATCH_FILE_SPEEDUP="0"): expected number to be greater or equal to 0.001',
  ]);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_INPUT_MAX_BYTES: '1000000000000' } }), ['input.maxBytes (STORMWATCH_INPUT_MAX_BYTES="1000000000000"): expected integer to be less or equal to 16777216']);
});

test('problems name the setting, its variable and the file it came from, list allowed values, and never echo the token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormwatch-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ server: { port: 'x', hots: 1 }, kafka: { clock: 'sun' }, nosection: {} }));
  assert.deepEqual(problemsOf({ env: { STORMWATCH_CONFIG: file, STORMWATCH_SOURCE_KIND: 'kafak', STORMWATCH_FEED_TOKEN: 'x'.repeat(1025) } }), [
    `nosection (set in the STORMWATCH_CONFIG file ${file}): not a setting (got {})`,
    `server.hots (set in the STORMWATCH_CONFIG file ${file}): not a setting (got 1)`,
    `server.port (STORMWATCH_SERVER_PORT; set in the STORMWATCH_CONFIG file ${file}): expected integer (got "x")`,
    'source.kind (STORMWATCH_SOURCE_KIND="kafak"): expected one of auto, simulator, file, kafka',
    `kafka.clock (STORMWATCH_KAFKA_CLOCK; set in the STORMWATCH_CONFIG file ${file}): expected one of wall, records (got "sun")`,
    'feed.token (STORMWATCH_FEED_TOKEN): expected string length less or equal to 1024',
  ]);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_CONFIG: join(dir, 'missing.json') } }).map((p) => p.replace(/:.*/s, '')), [`STORMWATCH_CONFIG=${join(dir, 'missing.json')}`]);
});

test('every problem at once: unknown variable, schema, cross-field rules and the source and files the service will use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormwatch-config-'));
  const notAFolder = join(dir, 'file');
  writeFileSync(notAFolder, '');
  const problems = problemsOf({
    service: true,
    env: {
      STORMWATCH_FEED_TOKNE: 'x',
      STORMWATCH_SERVER_PORT: '70000',
      STORMWATCH_FEED_HEARTBEAT_MS: '60000',
      STORMWATCH_SERVER_HOST: 'not a host',
      STORMWATCH_SOURCE_KIND: 'file',
      STORMWATCH_FILE_PATH: join(dir, 'no-such.ndjson'),
      STORMWATCH_DEAD_LETTERS_PATH: join(notAFolder, 'dead-letters.ndjson'),
    },
  });
  assert.deepEqual(problems.map((p) => p.replace(/:.*/s, '')), [
    'STORMWATCH_FEED_TOKNE',
    'server.port (STORMWATCH_SERVER_PORT="70000")',
    'feed.idleTimeoutMs',
    'server.host (STORMWATCH_SERVER_HOST)',
    'file.path (STORMWATCH_FILE_PATH)',
    'deadLetters.path (STORMWATCH_DEAD_LETTERS_PATH)',
  ]);
  assert.match(problems[4]!, /cannot read .*no-such\.ndjson/);
  assert.match(problems[5]!, /cannot create .*dead-letters\.ndjson: .*file is not a folder/);
  // A cross-field rule about a setting that is itself invalid is left out (it would only repeat it).
  assert.deepEqual(problemsOf({ env: { STORMWATCH_DETECTION_BUCKET_MS: '7' } }), ['detection.bucketMs (STORMWATCH_DETECTION_BUCKET_MS="7"): expected integer to be greater or equal to 1000']);
});

test('host, allowed hosts and allowed origins are checked for their syntax', () => {
  assert.deepEqual(problemsOf({ env: { STORMWATCH_SERVER_HOST: 'bad host!' } }), ['server.host (STORMWATCH_SERVER_HOST): "bad host!" is neither an IP address nor a host name']);
  assert.deepEqual(problemsOf({ env: { STORMWATCH_SERVER_ALLOWED_HOSTS: 'stormwatch,*,[::1],a/b', STORMWATCH_SERVER_ALLOWED_ORIGINS: 'https://dash.example.com,*,dash.example.com' } }), [
    'server.allowedHosts (STORMWATCH_SERVER_ALLOWED_HOSTS): "a/b" is neither an IP address, a host name nor *',
    'server.allowedOrigins (STORMWATCH_SERVER_ALLOWED_ORIGINS): "dash.example.com" is not an origin (scheme://host[:port]) nor *',
  ]);
  for (const host of ['0.0.0.0', '::', 'localhost', 'stormwatch.internal']) assert.equal(loadConfig({ env: { STORMWATCH_SERVER_HOST: host } }).server.host, host);
});

test('the service exits 2 listing its problems, before it listens, without a stack trace', async () => {
  const main = new URL('../../src/main.js', import.meta.url).pathname;
  const run = promisify(execFile)(process.execPath, [main], { env: { PATH: process.env.PATH, STORMWATCH_FEED_TOKNE: 'x', STORMWATCH_SERVER_HOST: 'no such host!' }, timeout: 20_000 });
  const failure = (await run.then(() => assert.fail('the service started'), (error: unknown) => error)) as { code: number; stderr: string };
  assert.equal(failure.code, 2);
  assert.equal(
    failure.stderr,
    'stormwatch: invalid configuration:\n' +
      '  STORMWATCH_FEED_TOKNE: not a setting; did you mean STORMWATCH_FEED_TOKEN? (every setting: README "Configuration")\n' +
      '  server.host (STORMWATCH_SERVER_HOST): "no such host!" is neither an IP address nor a host name\n',
  );
});

test('webhook targets: unique names, http(s) URLs not echoed, json targets need their secret from the environment', () => {
  const targets = [
    { name: 'ops', url: 'https://hooks.example.com/secret-path', format: 'json' },
    { name: 'ops', url: 'ftp://hooks.example.com/x', format: 'slack' },
    { name: 'team-chat', url: 'not a url', format: 'slack' },
  ];
  assert.deepEqual(problemsOf({ overrides: { webhooks: { targets } } }), [
    'webhooks.targets.1.name: "ops" is used by another target',
    'webhooks.targets.1.url (ops): not an http(s) URL',
    'webhooks.targets.2.url (team-chat): not an http(s) URL',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'sw-config-webhooks-'));
  const service = (env: NodeJS.ProcessEnv) => problemsOf({ service: true, env, overrides: { webhooks: { targets: [targets[0], { ...targets[2], url: 'http://127.0.0.1:9/x' }], deadLetterPath: join(dir, 'w.ndjson') }, deadLetters: { path: join(dir, 'd.ndjson') } } });
  assert.deepEqual(service({}), ['webhooks.targets (ops): STORMWATCH_WEBHOOK_SECRET_OPS is not set (json targets are always signed)']);
  // The secret variables are not settings, and are fine; a Slack target may go unsigned.
  assert.deepEqual(service({ STORMWATCH_WEBHOOK_SECRET_OPS: 'whsec', STORMWATCH_WEBHOOK_SECRET_TEAM_CHAT: 'x' }), []);
  assert.deepEqual(problemsOf({ overrides: { webhooks: { targets: [{ name: 'Ops!', url: 'http://x/' }] } } }).length, 1);
});
