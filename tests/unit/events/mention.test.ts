import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMention, parseTimestamp, type ParseOptions } from '../../../src/events/mention.js';

const options: ParseOptions = { maxBytes: 1024, maxFutureMs: 300_000, maxPastMs: 86_400_000 };
const good = { id: 'm1', key: 'acme', text: 'flight cancelled again', ts: '2026-03-01T12:00:00Z' };

test('a valid mention is normalised, with defaults for optional fields', () => {
  const result = parseMention(JSON.stringify({ ...good, author: { id: 'a1', followers: 120 }, engagement: { likes: 3 }, lang: 'en', extra: 1 }), options);
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.deepEqual(result.mention, {
    id: 'm1',
    key: 'acme',
    text: 'flight cancelled again',
    tsMs: Date.UTC(2026, 2, 1, 12),
    authorId: 'a1',
    followers: 120,
    verified: false,
    likes: 3,
    shares: 0,
    replies: 0,
    lang: 'en',
    platform: undefined,
    url: undefined,
  });
});

test('epoch milliseconds are accepted as number and as digit string', () => {
  assert.equal(parseTimestamp(1_700_000_000_000), 1_700_000_000_000);
  assert.equal(parseTimestamp('1700000000000'), 1_700_000_000_000);
  assert.ok(Number.isNaN(parseTimestamp('yesterday')));
  assert.ok(Number.isNaN(parseTimestamp('March 1, 2026')));
  assert.equal(parseTimestamp('2026-03-01T12:00:00+02:00'), Date.UTC(2026, 2, 1, 10));
});

const cases: [string, Uint8Array | string | null, string][] = [
  ['null value', null, 'empty'],
  ['empty string', '', 'empty'],
  ['invalid JSON', '{"id": "m1",', 'invalid_json'],
  ['an array', '[1,2]', 'not_an_object'],
  ['a number', '42', 'not_an_object'],
  ['missing key', JSON.stringify({ id: 'm1', text: 'x', ts: 1 }), 'missing_field'],
  ['missing text', JSON.stringify({ id: 'm1', key: 'k', ts: 1 }), 'missing_field'],
  ['text of wrong type', JSON.stringify({ ...good, text: 42 }), 'bad_type'],
  ['negative followers', JSON.stringify({ ...good, author: { id: 'a', followers: -1 } }), 'bad_type'],
  ['unparseable ts', JSON.stringify({ ...good, ts: 'yesterday' }), 'bad_timestamp'],
  ['ts before 2000', JSON.stringify({ ...good, ts: '1970-01-02T00:00:00Z' }), 'bad_timestamp'],
  ['ts after 2100', JSON.stringify({ ...good, ts: '2150-01-01T00:00:00Z' }), 'bad_timestamp'],
  ['too large', JSON.stringify({ ...good, text: 'x'.repeat(2000) }), 'too_large'],
  ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'bad_encoding'],
  ['lone surrogate in a string', `{"id":"m1","key":"k","text":"\ud800","ts":1}`, 'bad_encoding'],
];
for (const [name, raw, reason] of cases) {
  test(`rejects ${name} as ${reason}`, () => {
    const result = parseMention(raw, options);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, reason);
  });
}

test('the live window rejects far-future and far-past timestamps only when a clock is given', () => {
  const now = Date.UTC(2026, 2, 1, 12);
  const future = JSON.stringify({ ...good, ts: now + 600_000 });
  const past = JSON.stringify({ ...good, ts: now - 2 * 86_400_000 });
  assert.equal(parseMention(future, { ...options, nowMs: now }).ok, false);
  assert.equal(parseMention(past, { ...options, nowMs: now }).ok, false);
  assert.equal(parseMention(future, options).ok, true);
  assert.equal(parseMention(JSON.stringify({ ...good, ts: now + 60_000 }), { ...options, nowMs: now }).ok, true);
});

test('bytes and strings give the same result', () => {
  const raw = JSON.stringify({ ...good, text: 'café 😡' });
  const fromBytes = parseMention(new TextEncoder().encode(raw), options);
  const fromString = parseMention(raw, options);
  assert.deepEqual(fromBytes, fromString);
});
