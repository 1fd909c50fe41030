import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { runSentimentCommand } from '../../../src/cli/sentiment-command.js';

async function run(argv: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => (out += c.toString('utf8')));
  errors.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runSentimentCommand(argv, Readable.from([stdin]), output, errors);
  return { code, out, err };
}

test('writes one JSON line per input line, in order', async () => {
  const { code, out } = await run([], 'I love this, great service!\nmy flight was cancelled and nobody helps\n\nthe app is down again 😡\n');
  assert.equal(code, 0);
  const rows = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { score: number; label: string });
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => r.label), ['positive', 'negative', 'neutral', 'negative']);
  assert.equal(rows[2]?.score, 0);
  for (const r of rows) assert.deepEqual(Object.keys(r), ['score', 'label']);
});

test('--lang selects the lexicon', async () => {
  const text = 'Das ist eine Frechheit, schon wieder Verspätung\n';
  const de = await run(['--lang', 'de'], text);
  assert.equal(JSON.parse(de.out).label, 'negative');
  const eq = await run(['--lang=de-AT'], text);
  assert.equal(eq.out, de.out);
});

test('CRLF input and a last line without newline', async () => {
  const { out } = await run([], 'good\r\nbad');
  assert.deepEqual(out.trimEnd().split('\n').map((l) => JSON.parse(l).label), ['positive', 'negative']);
});

test('unknown arguments are a usage error with exit code 2', async () => {
  const { code, out, err } = await run(['--bogus'], 'x\n');
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /usage: stormwatch sentiment/);
});
