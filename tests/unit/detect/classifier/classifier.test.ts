import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyAlarmAssessment } from '../../../../src/detect/alarm/alarm-model.js';
import { KeyClassifier, type Observation, type Transition } from '../../../../src/detect/classifier/classifier.js';
import { emptyNegativityAssessment } from '../../../../src/detect/negativity/negativity-model.js';
import { emptyRateAssessment } from '../../../../src/detect/rate/rate-model.js';
import { detectionConfig } from '../../../support/detection.js';

const MINUTE = 60_000;
// The state machine's own bars; the exit that grows with an episode's length has tests of its own.
const c = detectionConfig({ enterBuckets: 2, drizzleEnterBuckets: 3, exitBuckets: 3, exitQuietFraction: 0, minDwellMs: 5 * MINUTE, cooldownMs: 10 * MINUTE, stormMinAlarmShift: 0.2 });

interface Shape {
  score?: number;
  mentions?: number;
  expected?: number;
  authors?: number;
  texts?: number;
  share?: number;
  usual?: number;
  slowShare?: number;
  slowMentions?: number;
  severity?: number;
  /** Is the key's usual negative share learned (default) or still the prior? */
  usualKnown?: boolean;
  /** Share of mentions with harm/alarm or sympathy words, and the key's usual share. */
  alarm?: number;
  usualAlarm?: number;
  /** The key has less history than `learningMs`. */
  learning?: boolean;
  /** Share of the burst from accounts with no audience, all followers known (undefined: none known). */
  noAudience?: number;
  /** Share of the window's mentions in a script we do not read (default none). */
  unread?: number;
}

function obs(minute: number, s: Shape): Observation {
  const rate = emptyRateAssessment();
  rate.learning = s.learning ?? false;
  rate.mentions = s.mentions ?? 10;
  rate.expectedMentions = s.expected ?? 10;
  rate.score = s.score ?? 0;
  const negativity = emptyNegativityAssessment();
  negativity.share = s.share ?? 0.2;
  // A tight interval: these tests are about the state machine, not the statistics.
  negativity.low = negativity.share - 0.03;
  negativity.high = negativity.share + 0.03;
  negativity.usualShare = s.usual ?? 0.2;
  negativity.usualKnown = s.usualKnown ?? true;
  negativity.slowShare = s.slowShare ?? negativity.share;
  negativity.slowLow = negativity.slowShare - 0.05;
  negativity.slowMentions = s.slowMentions ?? 20;
  const alarm = emptyAlarmAssessment();
  alarm.share = s.alarm ?? 0.05;
  alarm.low = Math.max(0, alarm.share - 0.03);
  alarm.usualShare = s.usualAlarm ?? 0.05;
  return {
    bucketStartMs: minute * MINUTE,
    bucketEndMs: (minute + 1) * MINUTE,
    rate,
    negativity,
    alarm,
    authors: s.authors ?? rate.mentions,
    texts: s.texts ?? rate.mentions,
    usualAuthors: Math.min(rate.expectedMentions, rate.mentions),
    usualTexts: Math.min(rate.expectedMentions, rate.mentions),
    audience: s.noAudience === undefined ? undefined : { tracked: rate.mentions, known: rate.mentions, none: Math.round(rate.mentions * s.noAudience) },
    severity: s.severity ?? 0,
    bucketMentions: rate.mentions / 5,
    bucketNegative: (rate.mentions / 5) * negativity.share,
    windowNegative: rate.mentions * negativity.share,
    readMentions: rate.mentions * (1 - (s.unread ?? 0)),
    bucketRead: (rate.mentions / 5) * (1 - (s.unread ?? 0)),
  };
}

const calm: Shape = {};
const storm = (severity = 60): Shape => ({ score: 0.99, mentions: 200, expected: 20, share: 0.7, usual: 0.2, severity });
const surge: Shape = { score: 0.99, mentions: 200, expected: 20, share: 0.1, usual: 0.2, severity: 30 };
const drizzle: Shape = { share: 0.6, slowShare: 0.6, usual: 0.2, mentions: 12, expected: 10, score: 0.05 };

/** Runs shapes minute by minute and returns "minute type" lines. */
function run(shapes: Shape[], classifier = new KeyClassifier('acme', c)): string[] {
  const lines: string[] = [];
  shapes.forEach((shape, minute) => {
    const out: Transition[] = [];
    classifier.step(obs(minute, shape), out);
    for (const t of out) lines.push(`${minute} ${t.type}`);
  });
  return lines;
}

const repeat = (shape: Shape, n: number): Shape[] => Array.from({ length: n }, () => shape);

test('a storm starts after enterBuckets, ends after exitBuckets of calm and the minimum dwell', () => {
  assert.deepEqual(run([...repeat(calm, 3), ...repeat(storm(), 6), ...repeat(calm, 6)]), ['4 storm.started', '11 storm.ended']);
});

test('one anomalous bucket is not a storm', () => {
  assert.deepEqual(run([...repeat(calm, 3), storm(), ...repeat(calm, 5)]), []);
});

test('no flapping: a storm that dips for two buckets stays one episode', () => {
  const shapes = [...repeat(storm(), 4), calm, calm, ...repeat(storm(), 4), ...repeat(calm, 4)];
  assert.deepEqual(run(shapes), ['1 storm.started', '12 storm.ended']);
});

test('the minimum dwell holds a short storm open', () => {
  // Calm from minute 3: three quiet buckets by minute 5, but dwell (5 min from minute 2) runs to minute 6.
  assert.deepEqual(run([...repeat(storm(), 3), ...repeat(calm, 5)]), ['1 storm.started', '6 storm.ended']);
});

test('a storm escalates with severity and subsides before it ends', () => {
  const shapes = [storm(40), storm(40), storm(50), storm(60), storm(80), storm(70), storm(45), storm(40), ...repeat(calm, 5)];
  assert.deepEqual(run(shapes), ['1 storm.started', '3 storm.escalated', '4 storm.escalated', '7 storm.subsided', '10 storm.ended']);
});

test('a subsided storm escalates again only when it flares back to its peak, not on every rise of a step', () => {
  // Peak 80 at minute 2; subsided at 40; back to 60 (a step up, below the peak): the same storm cooling; back to 80: news.
  const shapes = [storm(40), storm(40), storm(80), storm(40), storm(40), storm(60), storm(40), storm(40), storm(80), ...repeat(calm, 5)];
  assert.deepEqual(run(shapes), ['1 storm.started', '2 storm.escalated', '4 storm.subsided', '8 storm.escalated', '11 storm.ended']);
});

test('a storm lasts while its spike and harm words do, even where the usual is as alarmed (a keyword stream that learned the trickle)', () => {
  const spike = { score: 0.99, mentions: 200, expected: 20, share: 0.2, usual: 0.2, severity: 60, usualAlarm: 0.3 };
  // Entered on alarm well above the key's usual 30 %; then 30 % harm words, "as usual" for this
  // key but six times a brand's prior: it holds; once the harm words go, three quiet buckets end it.
  const shapes = [...repeat({ ...spike, alarm: 0.8 }, 3), ...repeat({ ...spike, alarm: 0.3 }, 20), ...repeat({ ...spike, alarm: 0.1 }, 5)];
  assert.deepEqual(run(shapes), ['1 storm.started', '25 storm.ended']);
});

test('cooldown: no second storm right after one ends', () => {
  const shapes = [...repeat(storm(), 3), ...repeat(calm, 5), ...repeat(storm(), 3), ...repeat(calm, 10), ...repeat(storm(), 3)];
  assert.deepEqual(run(shapes), ['1 storm.started', '6 storm.ended', '22 storm.started']);
});

test('a positive spike is a surge, not a storm', () => {
  assert.deepEqual(run([...repeat(surge, 6), ...repeat(calm, 6)]), ['1 surge.started', '8 surge.ended']);
});

test('a burst from a handful of accounts is flagged as a (coordinated) surge, never a storm', () => {
  const bots: Shape = { ...storm(), authors: 5 };
  assert.deepEqual(run([...repeat(bots, 6), ...repeat(calm, 6)]), ['1 surge.started', '8 surge.ended']);
  // Its tail, when the bots stop and the regulars' replies dominate, looks organic: it stays a surge.
  assert.deepEqual(run([...repeat(bots, 4), ...repeat(storm(), 3), ...repeat(calm, 6)]), ['1 surge.started', '9 surge.ended']);
});

test('many accounts repeating a few texts is amplification: with negativity it is a storm', () => {
  const retweeted: Shape = { ...storm(), texts: 3 };
  assert.deepEqual(run([...repeat(retweeted, 6), ...repeat(calm, 6)]), ['1 storm.started', '8 storm.ended']);
});

test('alarm beyond valence: a spike of harm words with mixed valence is a storm, not a surge', () => {
  const mixed: Shape = { score: 0.99, mentions: 200, expected: 20, share: 0.25, usual: 0.2, alarm: 0.6, usualAlarm: 0.05, severity: 50 };
  assert.deepEqual(run([...repeat(mixed, 6), ...repeat(calm, 6)]), ['1 storm.started', '8 storm.ended']);
  // Some alarm, short of the storm bar: not free of alarm, so not a surge either.
  assert.deepEqual(run(repeat({ ...surge, alarm: 0.2 }, 8)), []);
});

test('a surge is positive or neutral and free of alarm outright, not only against the usual', () => {
  // A negative spike on a key whose usual negativity is not learned yet: neither storm nor surge.
  assert.deepEqual(run(repeat({ ...storm(), usualKnown: false }, 8)), []);
  // A key whose usual talk is harm (an earthquake keyword stream): a spike of harm is no surge.
  assert.deepEqual(run(repeat({ ...surge, alarm: 0.5, usualAlarm: 0.45 }, 8)), []);
  // The same spike without harm words is a surge.
  assert.deepEqual(run([...repeat({ ...surge, usualKnown: false }, 6), ...repeat(calm, 6)]), ['1 surge.started', '8 surge.ended']);
});

test('a spike mostly in a script we do not read has no known tone: no surge; its read part can still show a storm', () => {
  // 80 % unread, the read fifth neutral: nothing is called (a surge needs a tone we measured).
  assert.deepEqual(run([...repeat({ ...surge, unread: 0.8 }, 6), ...repeat(calm, 6)]), []);
  // Half read is enough to call it.
  assert.deepEqual(run([...repeat({ ...surge, unread: 0.5 }, 6), ...repeat(calm, 6)]), ['1 surge.started', '8 surge.ended']);
  // The read fifth full of harm words: a storm (the shares handed in are of the read mentions;
  // the engine test checks that they are).
  assert.deepEqual(run([...repeat({ ...surge, unread: 0.8, alarm: 0.6 }, 3)]), ['1 storm.started']);
  // Coordination is about accounts, not tone: a burst from a handful of accounts is flagged as one.
  assert.deepEqual(run(repeat({ ...surge, unread: 0.8, authors: 24 }, 2)), ['1 surge.started']);
});

test('one incident, one episode: a surge that turns into a storm changes level in place', () => {
  const k = new KeyClassifier('acme', c);
  const out: Transition[] = [];
  // The episode is live: its level is read when each event is built, as the engine does.
  const seen: string[] = [];
  [...repeat(surge, 4), ...repeat(storm(), 4), ...repeat(calm, 6)].forEach((s, i) => {
    const n = out.length;
    k.step(obs(i, s), out);
    for (const t of out.slice(n)) seen.push(`${t.type} ${t.episode.level} ${t.from ?? '-'}`);
  });
  assert.deepEqual(seen, ['surge.started surge -', 'storm.level_changed storm surge', 'storm.ended storm -']);
  assert.equal(new Set(out.map((t) => t.episode.id)).size, 1);
  assert.match(out[0]!.episode.id, /^surge-/);
  const pm = out[2]!.episode.postMortem(14 * MINUTE);
  assert.equal(pm.openedAs, 'surge');
  assert.equal(pm.levelChangedAt, new Date(6 * MINUTE).toISOString());
});

test('a storm that cools off does not reopen as a surge within the cooldown', () => {
  const shapes = [...repeat(storm(), 3), ...repeat(calm, 5), ...repeat(surge, 6), ...repeat(calm, 4)];
  assert.deepEqual(run(shapes), ['1 storm.started', '6 storm.ended']);
});

test('negative chatter without a spike is a drizzle; it becomes a storm when volume spikes', () => {
  assert.deepEqual(run([...repeat(drizzle, 8), ...repeat(calm, 8)]), ['2 drizzle.started', '10 drizzle.ended']);
  assert.deepEqual(run([...repeat(drizzle, 5), ...repeat(storm(), 4), ...repeat(calm, 8)]), ['2 drizzle.started', '6 storm.level_changed', '11 storm.ended']);
});

test('floors scale with the usual volume: minMentions (6) above the usual, from minAuthors (6) accounts', () => {
  assert.deepEqual(run(repeat({ ...storm(), mentions: 6, expected: 1 }, 8)), []);
  assert.deepEqual(run(repeat({ ...storm(), mentions: 12, expected: 2, authors: 5 }, 8)), []);
  // A small brand's storm: 8 mentions where 1 is usual, from 8 accounts.
  assert.deepEqual(run(repeat({ ...storm(), mentions: 8, expected: 1 }, 3)), ['1 storm.started']);
  // A busy key needs its usual volume plus the floor: 105 where 100 are usual is not enough.
  assert.deepEqual(run(repeat({ ...storm(), mentions: 105, expected: 100 }, 8)), []);
});

test('episode ids are deterministic and every event of an episode shares it', () => {
  const a = new KeyClassifier('acme', c);
  const b = new KeyClassifier('acme', c);
  const ids = (k: KeyClassifier) => {
    const out: Transition[] = [];
    [...repeat(calm, 2), ...repeat(storm(), 4), ...repeat(calm, 6)].forEach((s, i) => k.step(obs(i, s), out));
    return out.map((t) => t.episode.id);
  };
  const first = ids(a);
  assert.equal(first.length, 2);
  assert.equal(first[0], first[1]);
  assert.deepEqual(ids(b), first);
  assert.match(first[0]!, /^storm-[0-9a-f]{16}$/);
});

test('the post-mortem covers the episode: duration, time to detect, totals', () => {
  const k = new KeyClassifier('acme', c);
  const out: Transition[] = [];
  [...repeat(calm, 2), ...repeat(storm(), 4), ...repeat(calm, 6)].forEach((s, i) => k.step(obs(i, s), out));
  assert.deepEqual(out.map((t) => t.type), ['storm.started', 'storm.ended']);
  // Ended in minute 8 (three quiet buckets, five minutes of dwell since the start at 4:00).
  const pm = out[1]!.episode.postMortem(9 * MINUTE);
  assert.equal(pm.onsetAt, new Date(2 * MINUTE).toISOString());
  assert.equal(pm.startedAt, new Date(4 * MINUTE).toISOString());
  assert.equal(pm.timeToDetectMs, 2 * MINUTE);
  assert.equal(pm.durationMs, 5 * MINUTE);
  // The start window (200), two more storm buckets (40 each), three calm buckets (2 each).
  assert.equal(pm.totalMentions, 200 + 2 * 40 + 3 * 2);
  assert.equal(pm.sentimentCourse.length, 6);
  assert.equal(pm.peakRateRatio, 10);
});

test('a long episode needs a longer calm to end: exitQuietFraction of how long it had lasted, up to the cooldown', () => {
  const scaled = detectionConfig({ ...c, exitQuietFraction: 0.5, cooldownMs: 10 * MINUTE });
  // Started at the end of minute 1, storm through minute 11: it had lasted 10 min when the calm
  // began, so it needs 0.5 × 10 = 5 quiet buckets (more than exitBuckets, 3; under the cooldown, 10): minutes 12-16.
  assert.deepEqual(run([...repeat(storm(), 12), ...repeat(calm, 10)], new KeyClassifier('acme', scaled)), ['1 storm.started', '16 storm.ended']);
  // After 40 storm minutes the fraction asks for 20+ buckets: the cooldown (10) caps it.
  assert.deepEqual(run([...repeat(storm(), 40), ...repeat(calm, 12)], new KeyClassifier('acme', scaled)), ['1 storm.started', '49 storm.ended']);
});

test('a key still learning: only a storm, on the floors of an empty key and harm words above the prior share', () => {
  const cold = (s: Shape): Shape => ({ ...s, learning: true, score: 0, expected: 0, usualKnown: false });
  // 12 mentions in the window from 12 accounts, 80 % with harm words: a storm, with no history.
  assert.deepEqual(run(repeat(cold({ mentions: 12, alarm: 0.8, usualAlarm: 0.8, share: 0.5 }), 3)), ['1 storm.started']);
  // The same volume without harm words, or below the floors: nothing (no usual to call it a surge against).
  assert.deepEqual(run(repeat(cold({ mentions: 12, alarm: 0.05, share: 0.9 }), 5)), []);
  assert.deepEqual(run(repeat(cold({ mentions: 5, alarm: 0.9 }), 5)), []);
  // A handful of accounts is not a public reaction.
  assert.deepEqual(run(repeat(cold({ mentions: 12, authors: 3, alarm: 0.9 }), 5)), []);
});

test('many accounts with no audience carrying a burst look coordinated: a surge, never a storm; unknown followers say nothing', () => {
  // 180 extra mentions from 180 new accounts, angry: a storm, unless 90 % of them have under 10 followers.
  assert.deepEqual(run([...repeat(calm, 2), ...repeat({ ...storm(), noAudience: 0.9 }, 4)]), ['3 surge.started']);
  assert.deepEqual(run([...repeat(calm, 2), ...repeat({ ...storm(), noAudience: 0.3 }, 4)]), ['3 storm.started']);
  assert.deepEqual(run([...repeat(calm, 2), ...repeat(storm(), 4)]), ['3 storm.started']);
});

