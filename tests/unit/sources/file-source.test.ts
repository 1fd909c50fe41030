import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource, type FileSourceOptions } from '../../../src/sources/file-source.js';
import { isBlankLine, readLines } from '../../../src/sources/lines.js';
import type { RawRecord } from '../../../src/ports.js';
import { until } from '../../support/until.js';

const T0 = Date.UTC(2025, 2, 3, 12, 0, 0);

function mention(i: number, tsMs: number): string {
  return JSON.stringify({ id: `m${i}`, key: 'acme-air', text: `hello ${i}`, ts: new Date(tsMs).toISOString() });
}

async function fileWith(t: { after(fn: () => Promise<void>): void }, text: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sw-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'mentions.ndjson');
  await writeFile(path, text);
  return path;
}

/** Lets the source run what a timer woke it for (it continues in microtasks: the file is read already). */
const afterMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function options(path: string, more: Partial<FileSourceOptions> = {}): FileSourceOptions {
  return { path, pace: 'unpaced', speedup: 1, batchIntervalMs: 2, maxBatchRecords: 1000, maxLineBytes: 65_536, ...more };
}

test('unpaced: every non-empty line is delivered in order with its line number, bad ones too; CRLF is stripped', async (t) => {
  const path = await fileWith(t, [mention(1, T0), 'not json', '', mention(2, T0 + 1000)].join('\r\n') + '\r\n' + mention(3, T0 + 2000));
  let ended = -1;
  const source = new FileSource(options(path, { onEnd: (lines) => (ended = lines) }));
  t.after(() => source.stop());
  const got: RawRecord[] = [];
  await source.start(async (batch) => {
    got.push(...batch);
  });
  await until(() => ended >= 0);
  assert.equal(ended, 5);
  assert.deepEqual(got.map((r) => r.origin), [1, 2, 4, 5].map((line) => ({ source: 'file', line })));
  assert.equal(Buffer.from(got[1]!.value as Uint8Array).toString('utf8'), 'not json');
  assert.equal(JSON.parse(Buffer.from(got[3]!.value as Uint8Array).toString('utf8')).id, 'm3');
  assert.ok(source.finished);
  assert.ok(source.now() >= T0 + 2000, 'after the end, time runs on from the last timestamp');
});

test('recorded pace: a line is delivered when its time comes at speedup × wall time', async (t) => {
  const path = await fileWith(t, [mention(1, T0), mention(2, T0 + 10_000), mention(3, T0 + 20_000)].join('\n') + '\n');
  // The source waits in sleeps of batchIntervalMs (2 ms) on mocked timers: each tick is one wait.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let wall = 0;
  const source = new FileSource(options(path, { pace: 'recorded', speedup: 1000, wallNowMs: () => wall }));
  t.after(() => source.stop());
  const ids: string[] = [];
  await source.start(async (batch) => {
    for (const r of batch) {
      const m = JSON.parse(Buffer.from(r.value as Uint8Array).toString('utf8'));
      assert.ok(Date.parse(m.ts) <= source.now(), 'delivered no earlier than its time');
      ids.push(m.id);
    }
  });
  await until(() => ids.length === 1);
  for (let i = 0; i < 50; i++) {
    t.mock.timers.tick(2);
    await afterMicrotasks();
  }
  assert.deepEqual(ids, ['m1'], 'the second line waits for its time');
  assert.ok(source.now() < T0 + 10_000);
  wall += 10; // 10 ms × 1000 = 10 s of event time
  t.mock.timers.tick(2);
  await until(() => ids.length === 2);
  wall += 10;
  t.mock.timers.tick(2);
  await until(() => ids.length === 3);
  await until(() => source.finished);
  wall += 5;
  assert.equal(source.now(), T0 + 25_000, 'the recorded clock keeps running after the end');
});

test('readLines: lines across chunk boundaries come out whole; over-long lines are cut to max + 1 bytes', async (t) => {
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'é'.repeat(i % 50)}`);
  const long = 'x'.repeat(200_000);
  const path = await fileWith(t, [...lines.slice(0, 1500), long, ...lines.slice(1500)].join('\n'));
  const out: { text: string; number: number; bytes: number }[] = [];
  for await (const line of readLines(createReadStream(path), 1000)) out.push({ text: line.bytes.toString('utf8'), number: line.number, bytes: line.bytes.length });
  assert.equal(out.length, 3001);
  assert.equal(out[1500]?.bytes, 1001);
  assert.equal(out[1500]?.number, 1501);
  const rest = out.filter((_, i) => i !== 1500);
  assert.deepEqual(rest.map((l) => l.text), lines);
});

test('isBlankLine: empty, spaces and tabs only are not records; anything else is', () => {
  for (const text of ['', ' ', '\t \t']) assert.equal(isBlankLine(Buffer.from(text)), true, JSON.stringify(text));
  for (const text of ['{}', ' x', '\u00a0', '\r', '\ufeff']) assert.equal(isBlankLine(Buffer.from(text)), false, JSON.stringify(text));
});

test('a missing file is reported, never thrown, and the source is not ready', async (t) => {
  const errors: Error[] = [];
  const source = new FileSource(options(join(tmpdir(), 'stormwatch-no-such-file.ndjson'), { onReadError: (e) => errors.push(e) }));
  t.after(() => source.stop());
  await source.start(async () => undefined);
  await until(() => errors.length === 1);
  assert.equal(source.isReady(), false);
});

test('stop() during a long recorded wait returns without waiting for it', async (t) => {
  const path = await fileWith(t, [mention(1, T0), mention(2, T0 + 3_600_000)].join('\n'));
  // Mocked timers never fire by themselves: stop() returns only if it ends the wait.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const source = new FileSource(options(path, { pace: 'recorded', speedup: 1, wallNowMs: () => 0 }));
  let n = 0;
  await source.start(async (batch) => {
    n += batch.length;
  });
  await until(() => n === 1);
  let stopped = false;
  void source.stop().then(() => (stopped = true));
  await until(() => stopped, 1000);
  assert.equal(n, 1);
});
