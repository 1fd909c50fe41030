import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterFileSink, type DeadLetterLine } from '../../../src/sinks/dead-letter-file.js';
import type { DeadLetter } from '../../../src/ports.js';

function letter(value: DeadLetter['value'], line = 1): DeadLetter {
  return { reason: 'invalid_json', detail: 'Unexpected token', value, origin: { source: 'file', line }, rejectedAt: '2026-01-01T00:00:00.000Z' };
}

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sw-dlq-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function lines(path: string): Promise<DeadLetterLine[]> {
  const text = await readFile(path, 'utf8');
  return text.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as DeadLetterLine);
}

test('writes one NDJSON line per letter, creating the directory; text as text, bad UTF-8 as base64', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'nested', 'dlq.ndjson');
  const sink = new DeadLetterFileSink({ path, maxBytes: 1 << 20 });
  await sink.ready();
  assert.equal(sink.isReady(), true);
  await sink.write([letter('{"id":'), letter(new Uint8Array([0xff, 0xfe, 0x41]), 2), letter(Buffer.from('{"ok":1}'), 3), letter(null, 4)]);
  await sink.close();
  assert.equal(sink.isReady(), false);
  const out = await lines(path);
  assert.equal(out.length, 4);
  assert.equal(out[0]?.value, '{"id":');
  assert.equal(out[0]?.reason, 'invalid_json');
  assert.deepEqual(out[0]?.origin, { source: 'file', line: 1 });
  assert.equal(out[1]?.valueBase64, Buffer.from([0xff, 0xfe, 0x41]).toString('base64'));
  assert.equal(out[1]?.value, undefined);
  assert.equal(out[2]?.value, '{"ok":1}');
  assert.equal(out[3]?.value, null);
  assert.equal(sink.written, 4);
});

test('rotates to <path>.1 at the size cap, so at most two files of maxBytes exist', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'dlq.ndjson');
  const maxBytes = 4096;
  const sink = new DeadLetterFileSink({ path, maxBytes });
  for (let i = 0; i < 100; i++) await sink.write([letter('x'.repeat(200), i)]);
  await sink.close();
  assert.ok((await stat(path)).size <= maxBytes);
  assert.ok((await stat(path + '.1')).size <= maxBytes);
  const current = await lines(path);
  assert.equal(current.at(-1)?.origin.line, 99, 'the newest letter is kept');
  assert.equal(sink.dropped, 0);
});

test('a letter larger than the cap is dropped and reported, the others are kept', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'dlq.ndjson');
  const drops: string[] = [];
  const sink = new DeadLetterFileSink({ path, maxBytes: 4096, onDrop: (n, why) => drops.push(`${n} ${why}`) });
  await sink.write([letter('y'.repeat(10_000), 1), letter('small', 2)]);
  await sink.close();
  assert.deepEqual(drops, ['1 too_large']);
  assert.deepEqual((await lines(path)).map((l) => l.origin.line), [2]);
});

test('an unwritable path is never fatal: not ready, letters dropped and reported', async (t) => {
  const dir = await tempDir(t);
  const drops: string[] = [];
  // A directory where the file should be: open() fails.
  const sink = new DeadLetterFileSink({ path: dir, maxBytes: 4096, onDrop: (n, why) => drops.push(`${n} ${why}`) });
  await sink.ready();
  assert.equal(sink.isReady(), false);
  await sink.write([letter('a'), letter('b')]);
  assert.deepEqual(drops, ['2 write_failed']);
  await sink.close();
  await sink.close();
});

test('writes queued before close are kept', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'dlq.ndjson');
  const sink = new DeadLetterFileSink({ path, maxBytes: 1 << 20 });
  void sink.write([letter('1')]);
  void sink.write([letter('2')]);
  await sink.close();
  assert.equal((await lines(path)).length, 2);
});
