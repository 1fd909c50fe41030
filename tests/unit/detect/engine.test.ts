import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectionEngine } from '../../../src/detect/engine.js';
import type { ClassificationEvent } from '../../../src/events/classification.js';
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
function mention(key: string, tsMs: number, text = 'hello', author = `a${seq}`, followers: number | undefined = 10): Mention {
  seq++;
  return { id: `m${seq}`, key, text: `${text} ${word(seq)}`, tsMs, authorId: author, followers, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined };
}

test("mentions behind their key's own stream time are late: counted, dropped, and no other key is affected", () => {
  const engine = new DetectionEngine(detectionConfig({ allowedLatenessMs: 2 * MINUTE }), scorer, () => undefined);
  assert.equal(engine.ingest(mention('k', T0 + 10 * MINUTE)), 'accepted');
  assert.equal(engine.ingest(mention('k', T0 + 8 * MINUTE + 1)), 'accepted', 'within the allowed lateness');
  assert.equal(engine.ingest(mention('k', T0 + 6 * MINUTE)), 'late');
  assert.equal(engine.ingest(mention('other', T0 + 5 * MINUTE)), 'accepted', "another key's time is its own");
  // One key far ahead (a bad clock) closes only its own buckets.
  assert.equal(engine.ingest(mention('skewed', T0 + 5 * 24 * 60 * MINUTE)), 'accepted');
  assert.equal(engine.ingest(mention('k', T0 + 9 * MINUTE)), 'accepted');
  assert.equal(engine.ingest(mention('other', T0 + 4 * MINUTE)), 'accepted');
  assert.deepEqual(engine.stats(), {
    accepted: 6,
    late: 1,
    keysTracked: 3,
    keysActive: 3,
    keysEvicted: 0,
    keysEvictedForRoom: 0,
    keysRefused: 0,
    watermarkMs: Number.NEGATIVE_INFINITY,
    unread: 0,
  });
});

test('the clock (advanceTo) closes buckets of every key, new ones included', () => {
  const engine = new DetectionEngine(detectionConfig({ allowedLatenessMs: 2 * MINUTE }), scorer, () => undefined);
  assert.equal(engine.ingest(mention('k', T0 + 10 * MINUTE)), 'accepted');
  assert.equal(engine.advanceTo(T0 + 20 * MINUTE), true);
  assert.equal(engine.stats().watermarkMs, T0 + 18 * MINUTE);
  assert.equal(engine.ingest(mention('k', T0 + 17 * MINUTE)), 'late');
  assert.equal(engine.ingest(mention('new', T0 + 17 * MINUTE)), 'late', 'a new key is late behind the clock');
  assert.equal(engine.ingest(mention('new', T0 + 18 * MINUTE)), 'accepted');
  assert.equal(engine.windowRate('k')?.observedPerMs, 0, "k's window has moved past its mention");
});

test('the clock brings keys in play forward in slices of bounded work, resumed at the next call', () => {
  const engine = new DetectionEngine(detectionConfig({ allowedLatenessMs: 0 }), scorer, () => undefined);
  for (let i = 0; i < 10; i++) engine.ingest(mention(`k${i}`, T0));
  // Each key closes its 5-bucket window and leaves play; the rest of the gap waits for its next mention.
  assert.equal(engine.advanceTo(T0 + 24 * 60 * MINUTE, 12), false);
  assert.equal(engine.stats().keysActive > 0, true, 'keys still in play after the first slice');
  let calls = 1;
  while (!engine.advanceTo(T0 + 24 * 60 * MINUTE, 12)) calls++;
  assert.equal(calls, 5, '10 keys x 5 closes in slices of 12');
  assert.equal(engine.stats().keysActive, 0);
  assert.equal(engine.advanceTo(T0 + 24 * 60 * MINUTE, 12), true, 'nothing left to do');
  assert.equal(engine.ingest(mention('k0', T0 + 24 * 60 * MINUTE + 1)), 'accepted');
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

test('a keyword stream added as the news breaks is a storm two buckets after its window holds the floors, without a sampled bucket', () => {
  const { events, onEvent } = collectEvents();
  const engine = new DetectionEngine(detectionConfig({}), scorer, onEvent);
  // A new key (still learning: no score): 4 mentions a minute with harm words, each its own
  // account, from minute 3 (off the calm-audience sample, which falls every 8th bucket).
  for (let minute = 3; minute < 12; minute++) for (let i = 0; i < 4; i++) engine.ingest(mention('explosion-keyword', T0 + minute * MINUTE + i * 1000, 'explosion at the station, people injured'));
  engine.finish();
  // Minutes 3 and 4 pass minMentions (6) from 8 accounts: a candidate at 4, the storm when 5 closes.
  assert.deepEqual(events.slice(0, 1).map((e) => [e.type, e.at]), [['storm.started', new Date(T0 + 6 * MINUTE).toISOString()]]);
});

test('a burst in a script we do not read is volume without tone: no surge; its read part decides a storm', () => {
  const run = (burstText: (i: number) => string): string[] => {
    const { events, onEvent } = collectEvents();
    const engine = new DetectionEngine(detectionConfig({ learningMs: 60 * MINUTE }), scorer, onEvent);
    // Two hours of 10 neutral English mentions a minute, then 20 minutes of 150 a minute, then calm.
    for (let minute = 0; minute < 180; minute++) {
      const burst = minute >= 120 && minute < 140;
      const n = burst ? 150 : 10;
      for (let i = 0; i < n; i++) engine.ingest(mention('acme', T0 + minute * MINUTE + (i * MINUTE) / n, burst ? burstText(i) : 'ok'));
    }
    engine.finish();
    unreadSeen = engine.stats().unread;
    return events.map((e) => e.type);
  };
  let unreadSeen = 0;
  // Read, neutral: a surge. The same burst in Russian: nothing is called (before: "a surge, not a crisis").
  assert.deepEqual(run(() => 'new acme phone is out').slice(0, 1), ['surge.started']);
  assert.deepEqual(run(() => 'В Челябинске всё нормально, интервью у очевидцев #Челябинск'), []);
  assert.equal(unreadSeen, 20 * 150, 'counted for the metric');
  // One in five read, those with harm words: the alarm share is of the read mentions, a storm.
  assert.deepEqual(run((i) => (i % 5 === 0 ? 'explosion at the acme plant, people injured' : 'В Челябинске всё нормально, интервью у очевидцев')).slice(0, 1), ['storm.started']);
});

test('a burst from thousands of accounts with no audience is a coordinated surge, with the reason; the same burst from real audiences is a storm', () => {
  const run = (burstFollowers: number | undefined): ClassificationEvent[] => {
    const { events, onEvent } = collectEvents();
    const engine = new DetectionEngine(detectionConfig({ learningMs: 60 * MINUTE }), scorer, onEvent);
    for (let minute = 0; minute < 180; minute++) {
      const burst = minute >= 120 && minute < 140;
      const n = burst ? 150 : 10;
      for (let i = 0; i < n; i++) engine.ingest(mention('acme', T0 + minute * MINUTE + (i * MINUTE) / n, burst ? 'bad outage #acmedown' : 'ok', `a${seq}`, burst ? burstFollowers : 200));
    }
    engine.finish();
    return events;
  };
  const sockpuppets = run(2);
  assert.deepEqual(sockpuppets.map((e) => e.type).slice(0, 1), ['surge.started']);
  assert.ok(!sockpuppets.some((e) => e.level === 'storm'), 'never a storm');
  const coordination = sockpuppets[0]!.evidence.coordination;
  assert.equal(coordination.suspected, true);
  assert.ok((coordination.noAudienceShare ?? 0) >= 0.8, JSON.stringify(coordination));
  assert.match(coordination.reason ?? '', /accounts with no audience \(fewer than 10 followers\)/);
  assert.deepEqual(run(300).map((e) => e.type).slice(0, 1), ['storm.started']);
  // Follower counts that are not sent are unknown, not 0: the burst is judged on its authors, a storm.
  assert.deepEqual(run(undefined).map((e) => e.type).slice(0, 1), ['storm.started']);
});

test('idle keys give their ring back, and are forgotten after idleEvictMs', () => {
  const engine = new DetectionEngine(detectionConfig({ idleEvictMs: 2 * 3_600_000, learningMs: 0 }), scorer, () => undefined);
  engine.ingest(mention('once', T0));
  engine.ingest(mention('busy', T0));
  for (let minute = 1; minute <= 30; minute++) engine.ingest(mention('busy', T0 + minute * MINUTE));
  assert.equal(engine.stats().keysActive, 2, "without a clock the quiet key's own time stands still");
  engine.advanceTo(T0 + 31 * MINUTE);
  assert.equal(engine.stats().keysActive, 1, 'the clock moved the quiet key out of play');
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

test('maxKeys: the least recently seen calm keys are forgotten first, keys in an episode never; a new key is refused when every key is in one', () => {
  const engine = new DetectionEngine(detectionConfig({ maxKeys: 200 }), scorer, () => undefined);
  for (let k = 0; k < 200; k++) engine.ingest(mention(`k${k}`, T0 + k));
  // k0..k9 seen again: now the most recent.
  for (let k = 0; k < 10; k++) engine.ingest(mention(`k${k}`, T0 + 1000 + k));
  assert.equal(engine.ingest(mention('newcomer', T0 + 2000)), 'accepted');
  const s = engine.stats();
  assert.equal(s.keysEvictedForRoom, 2, 'one key in a hundred of maxKeys');
  assert.equal(s.keysTracked, 199);
  const kept = new Set(engine.keysOf(() => true));
  assert.deepEqual(['k10', 'k11'].map((k) => kept.has(k)), [false, false], 'the least recently seen went');
  assert.deepEqual(['k0', 'k9', 'k12', 'newcomer'].map((k) => kept.has(k)), [true, true, true, true]);
});

test('maxKeys: with every key in an episode a new key is refused, and counted', () => {
  const { events, onEvent } = collectEvents();
  const engine = new DetectionEngine(detectionConfig({ maxKeys: 1, learningMs: 60 * MINUTE }), scorer, onEvent);
  for (let minute = 0; minute < 130; minute++) {
    const storm = minute >= 120;
    const n = storm ? 150 : 10;
    for (let i = 0; i < n; i++) engine.ingest(mention('acme', T0 + minute * MINUTE + (i * MINUTE) / n, storm ? 'bad outage #acmedown' : 'ok'));
  }
  assert.ok(events.some((e) => e.type === 'storm.started'), 'acme is in a storm');
  assert.equal(engine.ingest(mention('other', T0 + 130 * MINUTE)), 'refused');
  assert.deepEqual([engine.stats().keysRefused, engine.stats().keysTracked], [1, 1]);
});

test('per-key policy: a key whose floor is above its storm stays calm beside one that storms; a reload takes effect on a live key', () => {
  const { events, onEvent } = collectEvents();
  const config = detectionConfig({ learningMs: 60 * MINUTE });
  const high = { ...config, minMentions: 100_000 };
  let policy = (key: string) => (key === 'muted' ? high : config);
  const engine = new DetectionEngine(config, scorer, onEvent, (key) => policy(key));
  const play = (from: number, to: number, stormFrom: number, stormTo: number): void => {
    for (let minute = from; minute < to; minute++) {
      const storm = minute >= stormFrom && minute < stormTo;
      for (const key of ['acme', 'muted']) {
        const n = storm ? 150 : 10;
        for (let i = 0; i < n; i++) engine.ingest(mention(key, T0 + minute * MINUTE + (i * MINUTE) / n, storm ? 'bad outage' : 'ok'));
      }
    }
  };
  play(0, 170, 120, 140);
  assert.deepEqual([...new Set(events.filter((e) => e.type === 'storm.started').map((e) => e.key))], ['acme']);
  // The reload: 'muted' now has the service's settings; its next storm is seen.
  policy = () => config;
  engine.setPolicy((key) => policy(key));
  play(170, 300, 250, 270);
  assert.deepEqual(events.filter((e) => e.type === 'storm.started').map((e) => e.key).sort(), ['acme', 'acme', 'muted']);
});
