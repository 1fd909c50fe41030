import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectionEngine } from '../../../src/detect/engine.js';
import type { Mention } from '../../../src/events/mention.js';
import { collectEvents, detectionConfig, keywordScorer } from '../../support/detection.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);

const scorer = keywordScorer;

let seq = 0;
/** A word of letters unique to `n`: texts that differ only in digits count as copies. */
function word(n: number): string {
  let out = '';
  for (let x = n + 1; x > 0; x = Math.floor(x / 26)) out += String.fromCharCode(97 + (x % 26));
  return out;
}
function mention(key: string, tsMs: number, text = 'hello', author = `a${seq}`): Mention {
  seq++;
  return { id: `m${seq}`, key, text: `${text} ${word(seq)}`, tsMs, authorId: author, followers: 10, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined };
}

test('mentions behind the watermark are late: counted, dropped, and nothing else changes', () => {
  const engine = new DetectionEngine(detectionConfig({ allowedLatenessMs: 2 * MINUTE }), scorer, () => undefined);
  assert.equal(engine.ingest(mention('k', T0 + 10 * MINUTE)), 'accepted');
  assert.equal(engine.ingest(mention('k', T0 + 8 * MINUTE + 1)), 'accepted', 'within the allowed lateness');
  assert.equal(engine.ingest(mention('k', T0 + 6 * MINUTE)), 'late');
  assert.equal(engine.ingest(mention('other', T0 + 5 * MINUTE)), 'late', 'a new key is late too');
  assert.deepEqual({ ...engine.stats(), watermarkMs: 0 }, { accepted: 2, late: 2, keysTracked: 1, keysActive: 1, keysEvicted: 0, watermarkMs: 0 });
  assert.equal(engine.watermarkMs(), T0 + 8 * MINUTE);
});

test('a storm plays through the engine: started, ended, with drivers, in event order', () => {
  const { events, onEvent } = collectEvents();
  const engine = new DetectionEngine(detectionConfig({ learningMs: 60 * MINUTE }), scorer, onEvent);
  // Two hours of 10 neutral mentions a minute, then 20 minutes of 150 angry ones, then calm.
  for (let minute = 0; minute < 240; minute++) {
    const storm = minute >= 120 && minute < 140;
    const n = storm ? 150 : 10;
    for (let i = 0; i < n; i++) engine.ingest(mention('acme', T0 + minute * MINUTE + (i * MINUTE) / n, storm ? 'bad outage #acmedown' : 'ok'));
  }
  engine.finish();
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t !== 'storm.escalated' && t !== 'storm.subsided'),
    ['storm.started', 'storm.ended'],
  );
  const started = events[0]!;
  assert.equal(started.key, 'acme');
  assert.ok(Date.parse(started.at) >= T0 + 121 * MINUTE && Date.parse(started.at) <= T0 + 125 * MINUTE, started.at);
  assert.deepEqual(started.drivers?.hashtags.map((h) => h.term), ['#acmedown']);
  const ended = events.at(-1)!;
  assert.ok(ended.postMortem !== undefined && ended.postMortem.totalMentions >= 20 * 150, JSON.stringify(ended.postMortem));
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.at >= events[i - 1]!.at);
});

test('idle keys give their ring back, and are forgotten after idleEvictMs', () => {
  const engine = new DetectionEngine(detectionConfig({ idleEvictMs: 2 * 3_600_000, learningMs: 0 }), scorer, () => undefined);
  engine.ingest(mention('once', T0));
  engine.ingest(mention('busy', T0));
  for (let minute = 1; minute <= 30; minute++) engine.ingest(mention('busy', T0 + minute * MINUTE));
  assert.equal(engine.stats().keysActive, 1, 'the quiet key left the active set');
  assert.equal(engine.stats().keysTracked, 2);
  for (let minute = 31; minute <= 4 * 60; minute++) engine.ingest(mention('busy', T0 + minute * MINUTE));
  assert.equal(engine.stats().keysTracked, 1);
  assert.equal(engine.stats().keysEvicted, 1);
});

test('many keys: tracking 10,000 keys keeps one entry each, whatever the traffic', () => {
  const engine = new DetectionEngine(detectionConfig(), scorer, () => undefined);
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < 10_000; k++) engine.ingest(mention(`key-${k}`, T0 + round * MINUTE + k));
  }
  assert.equal(engine.stats().keysTracked, 10_000);
  assert.equal(engine.stats().accepted, 30_000);
});
