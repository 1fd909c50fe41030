import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import { createPipeline, type RecordOutcome } from '../../src/pipeline.js';
import { keywordScorer } from '../support/detection.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 2, 3, 9, 0);
const config = loadConfig({ env: {} });

function line(id: string, key: string, tsMs: number): string {
  return JSON.stringify({ id, key, text: `hello ${id}`, ts: new Date(tsMs).toISOString(), author: { id: `a-${id}` } });
}

function pipeline() {
  const rejected: string[] = [];
  const accepted: string[] = [];
  const p = createPipeline<string>(config, keywordScorer, {
    onEvent: () => undefined,
    onReject: (reason, _detail, _raw, tag) => rejected.push(`${tag}:${reason}`),
    onAccepted: (m, tag) => accepted.push(`${tag}:${m.id}`),
  });
  return { p, rejected, accepted };
}

test('history: one mention dated 2099 is rejected by the record after it; no other mention is late', () => {
  const { p, rejected, accepted } = pipeline();
  const outcomes: RecordOutcome[] = [];
  for (let i = 0; i < 40; i++) {
    const ts = i === 20 ? Date.UTC(2099, 11, 31) : T0 + i * 10_000;
    outcomes.push(p.handleRecord(line(`m${i}`, i % 2 === 0 ? 'a' : 'b', ts), {}, `line${i}`));
  }
  p.finish();
  assert.equal(outcomes[20], 'held');
  assert.deepEqual(rejected, ['line20:bad_timestamp'], 'dead-lettered with its own origin');
  assert.equal(accepted.length, 39);
  assert.equal(p.engine.stats().late, 0);
});

test('history: a mention far ahead that the input then follows (a quiet night) is kept, in its place', () => {
  const { p, rejected, accepted } = pipeline();
  p.handleRecord(line('evening', 'k', T0), {}, 'l1');
  assert.equal(p.handleRecord(line('morning', 'k', T0 + 10 * 60 * MINUTE), {}, 'l2'), 'held');
  assert.equal(p.handleRecord(line('morning2', 'k', T0 + 10 * 60 * MINUTE + 5), {}, 'l3'), 'accepted');
  assert.deepEqual(accepted, ['l1:evening', 'l2:morning', 'l3:morning2']);
  assert.deepEqual(rejected, []);
});

test('history: a held mention at the end of the input is taken', () => {
  const { p, accepted } = pipeline();
  p.handleRecord(line('first', 'k', T0), {}, 'l1');
  assert.equal(p.handleRecord(line('last', 'k', T0 + 60 * MINUTE), {}, 'l2'), 'held');
  p.finish();
  assert.deepEqual(accepted, ['l1:first', 'l2:last']);
});

test("live: more than input.maxFutureMs after the source's clock is rejected, caught up or not", () => {
  const { p, rejected } = pipeline();
  const upperMs = T0 + 60 * MINUTE;
  assert.equal(p.handleRecord(line('fast', 'k', upperMs + config.input.maxFutureMs + 1), { upperMs }, 'behind'), 'bad_timestamp');
  assert.equal(p.handleRecord(line('skewed', 'k', upperMs + config.input.maxFutureMs), { upperMs }, 'ok'), 'accepted');
  assert.equal(p.handleRecord(line('backlog', 'k', T0), { upperMs }, 'old'), 'late', "behind its key's own time");
  assert.equal(p.handleRecord(line('other', 'j', T0), { upperMs }, 'old'), 'accepted', "another key's time is its own");
  assert.equal(p.handleRecord(line('caught-up', 'k', upperMs + 2 * config.input.maxFutureMs), { upperMs, nowMs: upperMs }, 'now'), 'bad_timestamp');
  assert.deepEqual(rejected, ['behind:bad_timestamp', 'now:bad_timestamp']);
});

test('config: input.maxFutureMs must leave half the allowed lateness to transit delay', () => {
  assert.throws(
    () => loadConfig({ env: {}, overrides: { input: { maxFutureMs: 90_000 }, detection: { allowedLatenessMs: 120_000 } } }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('input.maxFutureMs: must be at most half of detection.allowedLatenessMs'),
  );
  assert.equal(loadConfig({ env: {}, overrides: { input: { maxFutureMs: 60_000 } } }).input.maxFutureMs, 60_000);
});

test('live: a producer whose clock runs 4 minutes fast loses its own mentions to the dead letters, nobody else is late', () => {
  const { p, rejected, accepted } = pipeline();
  for (let i = 0; i < 1000; i++) {
    const upperMs = T0 + i * 1000;
    const skewed = i % 100 === 50;
    p.handleRecord(line(`m${i}`, `brand-${i % 7}`, skewed ? upperMs + 4 * MINUTE : upperMs - 500), { upperMs, nowMs: upperMs }, `r${i}`);
  }
  assert.equal(rejected.length, 10);
  assert.equal(accepted.length, 990);
  assert.equal(p.engine.stats().late, 0);
});
