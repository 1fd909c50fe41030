import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load.js';
import { MAX_COUNT, parseMention, parseTimestamp, type ParseOptions } from '../../../src/events/mention.js';
import { createPipeline } from '../../../src/pipeline.js';
import { collectEvents, keywordScorer } from '../../support/detection.js';

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

const rejectionOf = (fields: Record<string, unknown>): string | undefined => {
  const result = parseMention(JSON.stringify({ ...good, ...fields }), options);
  return result.ok ? undefined : result.reason;
};

test('counts are whole numbers from 0 to 10^12: 1e308 likes, shares, replies or followers are rejected', () => {
  for (const field of ['likes', 'shares', 'replies'] as const) {
    assert.equal(rejectionOf({ engagement: { [field]: 1e308 } }), 'bad_type', field);
    assert.equal(rejectionOf({ engagement: { [field]: MAX_COUNT + 1 } }), 'bad_type', field);
    assert.equal(rejectionOf({ engagement: { [field]: 2.5 } }), 'bad_type', field);
    assert.equal(rejectionOf({ engagement: { [field]: -1 } }), 'bad_type', field);
    assert.equal(rejectionOf({ engagement: { [field]: MAX_COUNT } }), undefined, field);
  }
  assert.equal(rejectionOf({ author: { id: 'a', followers: 1e308 } }), 'bad_type');
  assert.equal(rejectionOf({ author: { id: 'a', followers: MAX_COUNT } }), undefined);
});

/** A distinct word per number (texts differing only in digits count as copies). */
const word = (n: number): string => n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));

test('mentions with every count at its maximum give events that match ClassificationEventSchema', () => {
  const { events, onEvent } = collectEvents();
  const pipeline = createPipeline(loadConfig({ env: {} }), keywordScorer, { onEvent });
  const t0 = Date.UTC(2026, 2, 2);
  const most = { author: { followers: MAX_COUNT }, engagement: { likes: MAX_COUNT, shares: MAX_COUNT, replies: MAX_COUNT } };
  // Four hours of 10 calm mentions a minute (the baseline is learned in 3), then 20 minutes of 150 angry ones.
  let n = 0;
  for (let minute = 0; minute < 300; minute++) {
    const storm = minute >= 240 && minute < 260;
    const perMinute = storm ? 150 : 10;
    for (let i = 0; i < perMinute; i++) {
      n++;
      const ts = t0 + minute * 60_000 + Math.floor((i * 60_000) / perMinute);
      const mention = { id: `m${n}`, key: 'acme', text: `${storm ? 'bad outage' : 'ok'} ${word(n)}`, ts, author: { id: `a${n}`, ...most.author }, engagement: most.engagement };
      assert.equal(typeof pipeline.handleRecord(JSON.stringify(mention)), 'string');
    }
  }
  pipeline.finish();
  assert.ok(events.some((e) => e.type === 'storm.started'), events.map((e) => e.type).join());
  for (const e of events) {
    assert.ok(Number.isFinite(e.evidence.engagement) && Number.isFinite(e.evidence.engagementRatio), JSON.stringify(e.evidence));
  }
});

test('a key is printable text: white space only, line breaks, control characters or white space at an end are rejected', () => {
  for (const key of [' ', '   ', '\t', '\n', 'acme\n', ' acme', 'acme ', 'ac\u0000me', 'ac\u001bme', 'ac\u007fme', 'ac\u0085me', 'ac\u2028me', '\u00a0acme']) {
    assert.equal(rejectionOf({ key }), 'bad_type', JSON.stringify(key));
  }
  for (const key of ['acme-air', 'Virgin America', 'Twitter_volume_AAPL', 'ключ', 'a', '🚀 rocket']) assert.equal(rejectionOf({ key }), undefined, key);
  assert.deepEqual(parseMention(JSON.stringify({ ...good, key: ' ' }), options), { ok: false, reason: 'bad_type', detail: '/key: control characters, line separators or white space at an end' });
});

test('timestamps must be on the calendar, with an explicit zone', () => {
  for (const ts of ['2026-02-30T12:00:00Z', '2025-02-29T12:00:00Z', '2026-04-31T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T12:60:00Z', '2026-03-01T12:00:60Z', '2026-13-01T12:00:00Z', '2026-03-01T12:00:00', '2026-03-01T12:00', '2026-03-01', '2026-03-01T12:00:00+24:00', '2026-03-01T12:00:00+05:60']) {
    assert.ok(Number.isNaN(parseTimestamp(ts)), ts);
    assert.equal(rejectionOf({ ts }), 'bad_timestamp', ts);
  }
  assert.equal(parseTimestamp('2024-02-29T12:00:00Z'), Date.UTC(2024, 1, 29, 12));
  assert.equal(parseTimestamp('2026-03-01T23:59:59.999Z'), Date.UTC(2026, 2, 1, 23, 59, 59, 999));
  assert.equal(parseTimestamp('2026-03-01 12:00+0530'), Date.UTC(2026, 2, 1, 6, 30));
  assert.equal(parseTimestamp('2026-03-01t12:00:00.123456789z'), Date.UTC(2026, 2, 1, 12, 0, 0, 123));
  assert.equal(parseTimestamp('2026-03-01T00:30:00-01:00'), Date.UTC(2026, 2, 1, 1, 30));
});

test("timestamps do not depend on the host's time zone", () => {
  const samples = ['2026-03-01T12:00:00Z', '2026-03-01T12:00:00+02:00', '2026-03-01T12:00:00', '2026-03-01', '2026-03-29T02:30:00+01:00', '1700000000000'];
  const script = `import('${new URL('../../../src/events/mention.js', import.meta.url).href}').then((m) => console.log(JSON.stringify(${JSON.stringify(samples)}.map((s) => m.parseTimestamp(s)))))`;
  const inZone = (tz: string): unknown => JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }));
  const utc = inZone('UTC');
  assert.deepEqual(inZone('America/New_York'), utc);
  assert.deepEqual(inZone('Asia/Kolkata'), utc);
  assert.deepEqual(utc, [Date.UTC(2026, 2, 1, 12), Date.UTC(2026, 2, 1, 10), null, null, Date.UTC(2026, 2, 29, 1, 30), 1_700_000_000_000]);
});

test('a record parses alike as text (simulator) and as bytes (Kafka, files, replay): BOM dropped, bad encoding rejected', () => {
  const line = JSON.stringify(good);
  const bom = '\ufeff' + line;
  const asBytes = parseMention(Buffer.from(bom, 'utf8'), options);
  const asText = parseMention(bom, options);
  assert.deepEqual(asText, asBytes);
  assert.equal(asText.ok, true);
  assert.deepEqual(parseMention(Buffer.from([0x7b, 0xff, 0x7d]), options), { ok: false, reason: 'bad_encoding', detail: 'record is not valid UTF-8' });
  assert.deepEqual(parseMention('{"id":"\ud800"}', options), { ok: false, reason: 'bad_encoding', detail: 'record contains a lone surrogate' });
  const big = JSON.stringify({ ...good, text: 'é'.repeat(600) });
  assert.deepEqual(parseMention(big, options), parseMention(Buffer.from(big, 'utf8'), options));
  assert.equal(parseMention(big, options).ok, false);
});
