import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MentionInput } from '../../../src/events/mention.js';
import { createSimulator, generateMentions } from '../../../src/sources/simulator/index.js';
import { SimulatorSource } from '../../../src/sources/simulator-source.js';
import type { RawRecord } from '../../../src/ports.js';
import { until } from '../../support/until.js';

const START = Date.UTC(2025, 2, 3, 6, 0, 0);
const config = { seed: 3, startMs: START, incidents: [], brands: [{ key: 'acme-air', baseRatePerMinute: 60 }] };

function tsOf(record: RawRecord): number {
  const m = JSON.parse(record.value as string) as MentionInput;
  return typeof m.ts === 'number' ? m.ts : Date.parse(m.ts);
}

test('delivers exactly the mentions whose event time has come at speedup × wall time', async (t) => {
  let wall = 1_000_000;
  const source = new SimulatorSource(createSimulator(config), { speedup: 600, batchIntervalMs: 2, maxBatchRecords: 10_000, wallNowMs: () => wall });
  t.after(() => source.stop());
  const delivered: RawRecord[] = [];
  const nowAtDelivery: number[] = [];
  await source.start(async (batch) => {
    nowAtDelivery.push(source.now());
    for (const record of batch) {
      assert.ok(tsOf(record) <= source.now(), 'no mention is delivered before its time');
      delivered.push(record);
    }
  });
  assert.equal(source.isReady(), true);
  assert.equal(source.now(), START);

  wall += 100; // 100 ms × 600 = one minute of event time
  await until(() => source.now() === START + 60_000);
  const expected = [...generateMentions(config, START + 60_001)];
  await until(() => delivered.length === expected.length);
  assert.deepEqual(delivered.map((r) => JSON.parse(r.value as string)), expected);
  assert.deepEqual(delivered.map((r) => r.origin), expected.map((_, i) => ({ source: 'simulator', offset: String(i) })));

  wall += 100;
  await until(() => source.now() === START + 120_000);
  assert.ok(nowAtDelivery.every((n, i) => i === 0 || n >= nowAtDelivery[i - 1]!), 'now() never goes back');
});

test('a source that falls behind catches up in bounded batches, now() staying before undelivered mentions', async (t) => {
  let wall = 0;
  const source = new SimulatorSource(createSimulator(config), { speedup: 60_000, batchIntervalMs: 2, maxBatchRecords: 25, wallNowMs: () => wall });
  t.after(() => source.stop());
  const sizes: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  await source.start(async (batch) => {
    sizes.push(batch.length);
    for (const record of batch) last = Math.max(last, tsOf(record));
    assert.ok(source.now() >= last);
  });
  wall += 30; // half an hour of event time at 07:00 local: several hundred mentions
  await until(() => source.now() === START + 1_800_000);
  assert.ok(sizes.length > 10);
  assert.ok(sizes.every((n) => n <= 25));
  assert.ok(source.delivered > 300);
});

test('a rejected batch is retried as it was, after one interval', async (t) => {
  let wall = 0;
  const errors: number[] = [];
  const source = new SimulatorSource(createSimulator(config), {
    speedup: 600,
    batchIntervalMs: 2,
    maxBatchRecords: 10_000,
    wallNowMs: () => wall,
    onBatchError: (_error, records) => errors.push(records),
  });
  t.after(() => source.stop());
  const attempts: string[][] = [];
  await source.start(async (batch) => {
    attempts.push(batch.map((r) => r.origin.offset!));
    if (attempts.length === 1) throw new Error('sink unavailable');
  });
  wall += 100;
  await until(() => attempts.length >= 2);
  assert.deepEqual(attempts[1], attempts[0]);
  assert.deepEqual(errors, [attempts[0]!.length]);
});

test('stop() ends a sleeping source promptly and is idempotent', async () => {
  const source = new SimulatorSource(createSimulator(config), { speedup: 600, batchIntervalMs: 60_000, maxBatchRecords: 10_000, wallNowMs: () => 0 });
  await source.start(async () => undefined);
  const started = Date.now();
  await source.stop();
  await source.stop();
  assert.ok(Date.now() - started < 1000, 'did not wait for the 60 s interval');
  assert.equal(source.isReady(), false);
});

test('stop() waits for the batch in flight, and no batch follows it', async () => {
  let wall = 0;
  const source = new SimulatorSource(createSimulator(config), { speedup: 600, batchIntervalMs: 2, maxBatchRecords: 10_000, wallNowMs: () => wall });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let batches = 0;
  let finished = false;
  await source.start(async () => {
    batches++;
    await held;
    finished = true;
  });
  wall += 100; // a minute of mentions is due
  await until(() => batches === 1);
  let stopped = false;
  const stopping = source.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped, false, 'stop() is still waiting for the handler');
  release();
  await stopping;
  assert.equal(finished, true);
  assert.equal(batches, 1);
});
