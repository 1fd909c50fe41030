import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { test } from 'node:test';
import { runReplayCommand } from '../../../src/cli/replay-command.js';
import { classificationEventErrors } from '../../../src/events/classification.js';
import { parseMention } from '../../../src/events/mention.js';
import { createSimulator } from '../../../src/sources/simulator/simulator.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Ten hours of a brand with a storm, as NDJSON, with bad lines mixed in at known positions. */
function stormFile(): { text: string; badLines: Map<number, string> } {
  const sim = createSimulator({
    seed: 3,
    brands: [{ key: 'acme-air', baseRatePerMinute: 20, sector: 'airline' }],
    incidents: [{ kind: 'storm', key: 'acme-air', startOffsetMs: 6 * 3_600_000, durationMs: 3_600_000, intensity: 0.5 }],
  });
  const end = sim.config.startMs + 10 * 3_600_000;
  const lines: string[] = [];
  for (let ts = sim.peekNextTs(); ts !== undefined && ts < end; ts = sim.peekNextTs()) lines.push(JSON.stringify(sim.next()));
  const bad: [string, string][] = [
    ['{"id": "broken', 'invalid_json'],
    ['{"id":"x","key":"acme-air","ts":"2025-03-03T12:00:00Z"}', 'missing_field'],
    ['{"id":"x","key":"acme-air","text":7,"ts":"2025-03-03T12:00:00Z"}', 'bad_type'],
    ['{"id":"x","key":"acme-air","text":"hi","ts":"1901-01-01T00:00:00Z"}', 'bad_timestamp'],
  ];
  const badLines = new Map<number, string>();
  bad.forEach(([line, reason], i) => {
    const at = 1000 * (i + 1);
    lines.splice(at, 0, line);
    badLines.set(at + 1, reason); // 1-based line numbers
  });
  return { text: lines.join('\n') + '\n', badLines };
}

async function replay(path: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runReplayCommand([path, ...args], { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('replay finds the storm, reports bad lines by number and reason, and is byte-for-byte deterministic', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const { text, badLines } = stormFile();
  const file = join(dir, 'mentions.ndjson');
  writeFileSync(file, text);

  const first = await replay(file);
  assert.equal(first.code, 0);
  const events = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; at: string; emittedAt: string });
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t === 'storm.started' || t === 'storm.ended'),
    ['storm.started', 'storm.ended'],
  );
  for (const e of events) {
    assert.deepEqual(classificationEventErrors(e), []);
    assert.equal(e.emittedAt, e.at, 'in replay emittedAt equals at');
  }
  for (const [line, reason] of badLines) assert.match(first.stderr, new RegExp(`^line ${line}: ${reason}: `, 'm'));
  assert.match(first.stderr, /^replay: \d+ lines, \d+ accepted, 4 rejected \(bad_timestamp 1, bad_type 1, invalid_json 1, missing_field 1\), 0 late, \d+ events, 1 keys, [\d.]+ s, [\d,]+ mentions\/s$/m);

  const second = await replay(file, ['--out', join(dir, 'events.ndjson')]);
  assert.equal(second.code, 0);
  assert.equal(readFileSync(join(dir, 'events.ndjson'), 'utf8'), first.stdout);
});

test('replay reads standard input with "-" and rejects bad usage', async () => {
  const stdin = new PassThrough();
  const stdout = new Capture();
  const stderr = new Capture();
  const running = runReplayCommand(['-'], { stdin, stdout, stderr });
  stdin.end('{"id":"1","key":"k","text":"hello","ts":1700000000000}\nnot json\n');
  assert.equal(await running, 0);
  assert.equal(stdout.text, '');
  assert.match(stderr.text, /^line 2: invalid_json: /m);
  assert.match(stderr.text, /1 accepted, 1 rejected \(invalid_json 1\)/);

  const usage = await runReplayCommand([], { stdin: new PassThrough(), stdout: new Capture(), stderr: new Capture() });
  assert.equal(usage, 2);
  const missing = await replay('/nonexistent/mentions.ndjson');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read/);
});

test('replay rejects exactly what the service rejects: the same bytes give the same reasons', async () => {
  const valid = (id: string) => `{"id":"${id}","key":"acme","text":"hello","ts":"2025-03-03T12:00:00Z"}`;
  const lines: Buffer[] = [
    Buffer.from(valid('plain')),
    // Invalid UTF-8 inside the text: replay used to decode it to U+FFFD and accept it.
    Buffer.concat([Buffer.from('{"id":"bad-utf8","key":"acme","text":"caf'), Buffer.from([0xe9]), Buffer.from('","ts":"2025-03-03T12:00:00Z"}')]),
    // A byte-order mark: the service's decoder drops it; replay used to reject the line as invalid_json.
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid('bom'))]),
    Buffer.from(`{"id":"big","key":"acme","text":"${'x'.repeat(70_000)}","ts":"2025-03-03T12:00:00Z"}`),
    Buffer.from('   '),
    Buffer.from(`${valid('crlf')}\r`),
    Buffer.from('{"id":"k","key":" ","text":"hi","ts":"2025-03-03T12:00:00Z"}'),
  ];
  const options = { maxBytes: 64 * 1024, maxFutureMs: 0, maxPastMs: 0 };
  const expected = lines.map((bytes, i) => {
    const line = bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes;
    if (line.toString().trim() === '') return undefined;
    const result = parseMention(line, options);
    return result.ok ? undefined : `line ${i + 1}: ${result.reason}`;
  });
  assert.deepEqual(expected, [undefined, 'line 2: bad_encoding', undefined, 'line 4: too_large', undefined, undefined, 'line 7: bad_type']);

  const stdin = new PassThrough();
  const stdout = new Capture();
  const stderr = new Capture();
  const running = runReplayCommand(['-'], { stdin, stdout, stderr });
  stdin.end(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  assert.equal(await running, 0);
  const reported = stderr.text.split('\n').filter((l) => l.startsWith('line ')).map((l) => l.split(': ').slice(0, 2).join(': '));
  assert.deepEqual(reported, expected.filter((e) => e !== undefined));
  assert.match(stderr.text, /^replay: 7 lines, 3 accepted, 3 rejected \(bad_encoding 1, bad_type 1, too_large 1\)/m);
});

test('replay reads a line far over input.maxBytes in bounded memory, rejects it as too_large and goes on', async () => {
  const stdin = new PassThrough();
  const stderr = new Capture();
  const running = runReplayCommand(['-'], { stdin, stdout: new Capture(), stderr });
  // 32 MiB on one line, written in 1 MiB chunks as a pipe delivers it; only 64 KiB + 1 of it is kept.
  stdin.write('{"id":"huge","key":"acme","text":"');
  const chunk = 'x'.repeat(1 << 20);
  for (let i = 0; i < 32; i++) if (!stdin.write(chunk)) await once(stdin, 'drain');
  stdin.end('","ts":"2025-03-03T12:00:00Z"}\n{"id":"after","key":"acme","text":"hi","ts":"2025-03-03T12:00:00Z"}\n');
  assert.equal(await running, 0);
  assert.match(stderr.text, /^line 1: too_large: record of 65537 bytes exceeds 65536$/m);
  assert.match(stderr.text, /^replay: 2 lines, 1 accepted, 1 rejected \(too_large 1\)/m);
});

test('replay prints its summary when the input fails midway, and exits 1', async () => {
  const stdin = new PassThrough();
  const stderr = new Capture();
  const running = runReplayCommand(['-'], { stdin, stdout: new Capture(), stderr });
  stdin.write('{"id":"1","key":"acme","text":"hi","ts":"2025-03-03T12:00:00Z"}\nnot json\n');
  await new Promise((r) => setImmediate(r));
  stdin.destroy(new Error('device gone'));
  assert.equal(await running, 1);
  assert.match(stderr.text, /^replay: cannot read - after line 2: device gone$/m);
  assert.match(stderr.text, /^replay: 2 lines \(input not read to its end\), 1 accepted, 1 rejected \(invalid_json 1\)/m);
});
