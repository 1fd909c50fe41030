import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpisodeCurves } from '../../../src/episodes/curves.js';
import { fakeEvent } from '../server/fixtures.js';

const T0 = Date.parse('2025-03-03T12:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** 10 mentions a minute over a usual 2 (per ms). */
const rate = () => ({ observedPerMs: 10 / MIN, usualPerMs: 2 / MIN });

test('one point per event and per event-time minute sampled, from the start; the end closes it; ended curves kept', () => {
  const curves = new EpisodeCurves({ bandRatio: 2, maxPoints: 100, maxEnded: 1 });
  curves.observe(fakeEvent('storm.started', { at: iso(T0 + 30_000) }), rate);
  curves.sample(T0 + 50_000, rate); // the same minute: nothing
  curves.sample(T0 + MIN + 5_000, rate);
  curves.sample(T0 + 2 * MIN, rate);
  curves.observe(fakeEvent('storm.ended', { sequence: 2, at: iso(T0 + 3 * MIN), evidence: { ...fakeEvent('storm.ended').evidence, negativeShare: 0.3 } }), rate);
  curves.sample(T0 + 4 * MIN, rate); // ended: no more points
  const curve = curves.curve('storm-0000000000000001')!;
  assert.equal(curve.bandRatio, 2);
  assert.deepEqual(curve.points, [
    { at: '2025-03-03T12:00:00.000Z', mentionsPerMinute: 10, usualPerMinute: 2, negativeShare: 0.8 },
    { at: '2025-03-03T12:01:00.000Z', mentionsPerMinute: 10, usualPerMinute: 2, negativeShare: 0.8 },
    { at: '2025-03-03T12:02:00.000Z', mentionsPerMinute: 10, usualPerMinute: 2, negativeShare: 0.8 },
    { at: '2025-03-03T12:03:00.000Z', mentionsPerMinute: 10, usualPerMinute: 2, negativeShare: 0.3 },
  ]);
  curves.observe(fakeEvent('drizzle.started', { at: iso(T0) }), rate);
  curves.observe(fakeEvent('drizzle.ended', { sequence: 2, at: iso(T0 + MIN) }), rate);
  assert.equal(curves.curve('storm-0000000000000001'), undefined, 'only maxEnded ended curves are kept');
  assert.equal(curves.curve('drizzle-0000000000000001')?.points.length, 2);
});

test('bounded: past maxPoints every other point goes and the spacing doubles, the first and the latest stay', () => {
  const curves = new EpisodeCurves({ bandRatio: 2, maxPoints: 8, maxEnded: 10 });
  curves.observe(fakeEvent('storm.started', { at: iso(T0) }), rate);
  for (let m = 1; m <= 60; m++) curves.sample(T0 + m * MIN, rate);
  const points = curves.curve('storm-0000000000000001')!.points;
  assert.ok(points.length <= 8, `${points.length} points`);
  assert.equal(points[0]!.at, iso(T0), 'from the start');
  assert.equal(points.at(-1)!.at, iso(T0 + 60 * MIN), 'to now');
  const times = points.map((p) => Date.parse(p.at));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in time order');
});

test('a key without state gives no point; a retracted key\'s episode is forgotten', () => {
  const curves = new EpisodeCurves({ bandRatio: 2, maxPoints: 8, maxEnded: 10 });
  curves.observe(fakeEvent('storm.started', { at: iso(T0) }), () => undefined);
  assert.deepEqual(curves.curve('storm-0000000000000001')?.points, []);
  curves.retract(new Set(['acme-air']));
  assert.equal(curves.curve('storm-0000000000000001'), undefined);
});
